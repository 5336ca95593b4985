package dev.custody.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Freed debug blocks, held oldest first until a bound on blocks or bytes pushes them out. A queue
 * of entries behind one lock: a debug heap serialises its frees here. Finding an address is a scan
 * of the queue, which only the misuse path does (a raw-address free of an address the registry does
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

    /** Entries per segment: a segment is filled in microseconds, so it is nearly always young. */
    static final int SEGMENT = 256;

    private final int maxBlocks;
    private final long maxBytes;
    /**
     * The entries, oldest first, in segments of {@value #SEGMENT}; the last one is being filled.
     * Not one long-lived ring: storing a young entry into an old array costs G1's post-write
     * barrier its slow path (a StoreLoad fence and a dirty card to refine) on every free, which
     * measured about 60 ns a cycle here; a store into a young segment exits at the barrier's
     * young-card check, and only adding a segment stores into the old deque.
     */
    private final ArrayDeque<Entry[]> segments = new ArrayDeque<>();
    /** Entries in the last segment. */
    private int filled = SEGMENT;
    /** The first held entry of the first segment. */
    private int first;
    private int count;
    private long bytes;

    Quarantine(int maxBlocks, long maxBytes) {
        this.maxBlocks = maxBlocks;
        this.maxBytes = maxBytes;
    }

    /** Holds {@code e}, and returns the entries that must leave to keep within the bounds (maybe e). */
    synchronized List<Entry> add(Entry e) {
        if (filled == SEGMENT) {
            segments.addLast(new Entry[SEGMENT]);
            filled = 0;
        }
        segments.peekLast()[filled++] = e;
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

    private Entry removeOldest() {
        Entry[] seg = segments.peekFirst();
        Entry old = seg[first];
        seg[first++] = null;
        count--;
        bytes -= old.layout().length();
        if (first == SEGMENT || count == 0) { // a used-up segment goes; so does the last, once empty
            segments.removeFirst();
            first = 0;
            if (segments.isEmpty()) {
                filled = SEGMENT;
            }
        }
        return old;
    }

    /** Every held entry, oldest first. */
    private void forEach(java.util.function.Consumer<Entry> action) {
        int n = 0;
        int from = first;
        for (Entry[] seg : segments) {
            for (int i = from; i < SEGMENT && n < count; i++, n++) {
                action.accept(seg[i]);
            }
            from = 0;
        }
    }

    /** The held entry at this address, newest first; a scan, for the misuse path. */
    synchronized Entry find(long address) {
        List<Entry> all = entries();
        for (int i = all.size() - 1; i >= 0; i--) {
            Entry e = all.get(i);
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
        forEach(out::add);
        return out;
    }

    /** Removes and returns every entry, oldest first. */
    synchronized List<Entry> drain() {
        List<Entry> out = entries();
        segments.clear();
        filled = SEGMENT;
        first = 0;
        count = 0;
        bytes = 0;
        return out;
    }
}
