package dev.custody.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Freed debug blocks, held oldest first until a bound on blocks or bytes pushes them out; findable
 * by address, so a raw-address double free of a held address is recognised. One lock: a debug heap
 * serialises its frees here.
 */
final class Quarantine {
    /**
     * @param block the dead block
     * @param layout its memory
     * @param freedBy the name of the thread that freed it
     */
    record Entry(BlockImpl block, DebugLayout layout, String freedBy) {
    }

    private final int maxBlocks;
    private final long maxBytes;
    private final ArrayDeque<Entry> order = new ArrayDeque<>();
    private final Map<Long, Entry> byAddress = new HashMap<>();
    private long bytes;

    Quarantine(int maxBlocks, long maxBytes) {
        this.maxBlocks = maxBlocks;
        this.maxBytes = maxBytes;
    }

    /** Holds {@code e}, and returns the entries that must leave to keep within the bounds (maybe e). */
    synchronized List<Entry> add(Entry e) {
        order.addLast(e);
        byAddress.put(e.block().address, e);
        bytes += e.layout().length();
        List<Entry> out = List.of();
        while (!order.isEmpty() && (order.size() > maxBlocks || bytes > maxBytes)) {
            if (out.isEmpty()) {
                out = new ArrayList<>(2);
            }
            out.add(removeOldest());
        }
        return out;
    }

    private Entry removeOldest() {
        Entry old = order.removeFirst();
        byAddress.remove(old.block().address, old);
        bytes -= old.layout().length();
        return old;
    }

    synchronized Entry find(long address) {
        return byAddress.get(address);
    }

    synchronized int size() {
        return order.size();
    }

    /** A copy of the held entries, oldest first. */
    synchronized List<Entry> entries() {
        return new ArrayList<>(order);
    }

    /** Removes and returns every entry, oldest first. */
    synchronized List<Entry> drain() {
        List<Entry> out = new ArrayList<>(order);
        order.clear();
        byAddress.clear();
        bytes = 0;
        return out;
    }
}
