package dev.custody.internal;

import dev.custody.Site;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.custody.Allocation}: a tracked block was allocated (sampled with tracking).
 * It carries the JFR stack trace, so that Mission Control aggregates allocations by stack; the
 * {@code site} field is the user's frame, custody's own frames passed over.
 */
@Name("dev.custody.Allocation")
@Label("Custody Allocation")
@Category({"Custody"})
@Description("A tracked off-heap block was allocated; emitted at the heap's tracking level")
@StackTrace(true)
final class AllocationEvent extends jdk.jfr.Event {
    @Label("Heap") String heap;
    @Label("Tag") String tag;
    @Label("Size") @DataAmount long size;
    @Label("Address") @MemoryAddress long address;
    @Label("Site") String site;

    /** Commits one event if JFR records this type. */
    static void emit(String heap, String tag, long size, long address, Site site) {
        AllocationEvent e = new AllocationEvent();
        if (e.isEnabled()) {
            e.heap = heap;
            e.tag = tag;
            e.size = size;
            e.address = address;
            e.site = site == null ? null : site.caller();
            e.commit();
        }
    }
}
