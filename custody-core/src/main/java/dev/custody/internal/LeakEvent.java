package dev.custody.internal;

import dev.custody.Leak;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.custody.Leak}: a leak found by a heap's close or by the garbage collector. */
@Name("dev.custody.Leak")
@Label("Custody Leak")
@Category({"Custody"})
@Description("A block that was never freed: found at a heap's close, or unreleased by the GC")
@StackTrace(false)
final class LeakEvent extends jdk.jfr.Event {
    @Label("Heap") String heap;
    @Label("Tag") String tag;
    @Label("Size") @DataAmount long size;
    @Label("Address") @MemoryAddress long address;
    @Label("Allocation site") String site;
    @Label("Freed by custody") boolean freed;

    static void emit(Leak leak, boolean freed) {
        LeakEvent e = new LeakEvent();
        if (e.isEnabled()) {
            e.heap = leak.heap();
            e.tag = leak.tag().name();
            e.size = leak.size();
            e.address = leak.address();
            e.site = leak.site() == null ? null : leak.site().caller();
            e.freed = freed;
            e.commit();
        }
    }
}
