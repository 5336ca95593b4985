package dev.custody.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Freed debug blocks, held oldest first until a bound on blocks or bytes pushes them out. A ring
 * of entries behind one lock: a debug heap serialises its frees here. Finding an address is a scan
 * of the ring, which only the misuse path does (a raw-address free of an address the registry does
 * not know), so the free path keeps no map.
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
    /** The ring: {@code count} entries from {@code head}, oldest first. */
    private Entry[] ring = new Entry[16];
    private int head;
    private int count;
    private long bytes;

    Quarantine(int maxBlocks, long maxBytes) {
        this.maxBlocks = maxBlocks;
        this.maxBytes = maxBytes;
    }

    /** Holds {@code e}, and returns the entries that must leave to keep within the bounds (maybe e). */
    synchronized List<Entry> add(Entry e) {
        if (count == ring.length) {
            grow();
        }
        ring[(head + count) & (ring.length - 1)] = e;
        count++;
        bytes += e.layout().length();
        List<Entry> out = List.of();
        while (count > 0 && (count > maxBlocks || bytes > maxBytes)) {
            Entry old = removeOldest();
            out = out.isEmpty() ? List.of(old) : append(out, old);
        }
        return out;
    }

    private static List<Entry> append(List<Entry> list, Entry e) {
        List<Entry> out = new ArrayList<>(list);
        out.add(e);
        return out;
    }

    private void grow() {
        Entry[] bigger = new Entry[ring.length * 2];
        for (int i = 0; i < count; i++) {
            bigger[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = bigger;
        head = 0;
    }

    private Entry removeOldest() {
        Entry old = ring[head];
        ring[head] = null;
        head = (head + 1) & (ring.length - 1);
        count--;
        bytes -= old.layout().length();
        return old;
    }

    /** The held entry at this address, newest first; a scan, for the misuse path. */
    synchronized Entry find(long address) {
        for (int i = count - 1; i >= 0; i--) {
            Entry e = ring[(head + i) & (ring.length - 1)];
            if (e.block().address == address) {
                return e;
            }
        }
        return null;
    }

    synchronized int size() {
        return count;
    }

    /** A copy of the held entries, oldest first. */
    synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(ring[(head + i) & (ring.length - 1)]);
        }
        return out;
    }

    /** Removes and returns every entry, oldest first. */
    synchronized List<Entry> drain() {
        List<Entry> out = entries();
        java.util.Arrays.fill(ring, null);
        head = 0;
        count = 0;
        bytes = 0;
        return out;
    }
}
