package dev.custody.observe;

import dev.custody.Site;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.custody.Allocation}: a tracked block was allocated (sampled with tracking). */
@Name("dev.custody.Allocation")
@Label("Custody Allocation")
@Category({"Custody"})
@Description("A tracked off-heap block was allocated; emitted at the heap's tracking level")
@StackTrace(false)
public final class AllocationEvent extends jdk.jfr.Event {
    @Label("Heap") public String heap;
    @Label("Tag") public String tag;
    @Label("Size") @DataAmount public long size;
    @Label("Address") public long address;
    @Label("Site") public String site;

    /** Commits one event if JFR records this type. */
    public static void emit(String heap, String tag, long size, long address, Site site) {
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
