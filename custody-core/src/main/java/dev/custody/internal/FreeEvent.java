package dev.custody.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.MemoryAddress;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code dev.custody.Free}: a tracked block was freed. */
@Name("dev.custody.Free")
@Label("Custody Free")
@Category({"Custody"})
@Description("A tracked off-heap block was freed")
@StackTrace(false)
final class FreeEvent extends jdk.jfr.Event {
    @Label("Heap") String heap;
    @Label("Tag") String tag;
    @Label("Size") @DataAmount long size;
    @Label("Address") @MemoryAddress long address;

    static void emit(String heap, String tag, long size, long address) {
        FreeEvent e = new FreeEvent();
        if (e.isEnabled()) {
            e.heap = heap;
            e.tag = tag;
            e.size = size;
            e.address = address;
            e.commit();
        }
    }
}
