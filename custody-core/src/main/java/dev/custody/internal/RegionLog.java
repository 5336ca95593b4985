package dev.custody.internal;

import dev.custody.Tag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * The record of a region's own blocks in the current generation, one entry per block in carving
 * order, in primitive arrays: the region keeps no object per block, so a block the caller drops is
 * garbage at once (or never allocated, once C2 has scalar-replaced it), and the GC never copies a
 * generation's worth of block objects. Written and read on the region's thread only, except
 * {@link #state} (a plain {@code int}: never torn).
 *
 * <p>An entry's state has {@link BlockImpl}'s encoding: {@code >= 0} live with that many open
 * views, {@code < 0} dead and how ({@link BlockImpl#FREED}, {@link BlockImpl#REALLOCATED}). A dead
 * entry never lives again in its generation; {@link #clear()} starts the next one.
 *
 * <p>The block objects that must keep their identity are kept in {@link #kept}: a pool's chunk,
 * a tracked block (its history), one marked not a leak, and every block that custody hands out
 * itself ({@link #canonical}, for listings and raw-address frees). Any other block object is equal
 * to its canonical one ({@link RegionBlock#equals}).
 */
final class RegionLog {
    private static final int FIRST = 256;

    private long[] addresses = new long[FIRST];
    private long[] sizes = new long[FIRST];
    /**
     * Tag ids, not tags: storing a (long-lived) tag into this long-lived array would take G1's
     * post-write barrier slow path on every block.
     */
    private int[] tags = new int[FIRST];
    private volatile List<Tag> knownTags;
    /** Views or death, as {@link BlockImpl}'s state; all 0 beyond {@link #count}. */
    private int[] states = new int[FIRST];
    /** Entries of this generation that died on their own (a single free, a reallocation). */
    private int deaths;
    /** The entries of this generation: [0, count). */
    private int count;
    /** Canonical block objects by entry, or null; made on the first need. */
    private RegionBlock[] kept;
    /** Entries by start address, for raw-address frees: made on the first one, up to {@link #indexed}. */
    private HashMap<Long, Integer> index;
    private int indexed;

    /** Records a block carved at {@code address}, as the entry {@link #last()}. */
    void add(long address, long size, Tag tag) {
        int i = count;
        if (i == addresses.length) {
            grow();
        }
        addresses[i] = address;
        sizes[i] = size;
        tags[i] = tag.id();
        count = i + 1;
    }

    /** The tag of id {@code id}; {@link Tag#known()} copies, so its list is kept until an id is beyond it. */
    private Tag tagById(int id) {
        List<Tag> k = knownTags;
        if (k == null || id >= k.size()) {
            knownTags = k = Tag.known();
        }
        return k.get(id);
    }

    private void grow() {
        int n = addresses.length * 2;
        addresses = Arrays.copyOf(addresses, n);
        sizes = Arrays.copyOf(sizes, n);
        tags = Arrays.copyOf(tags, n);
        states = Arrays.copyOf(states, n);
        if (kept != null) {
            kept = Arrays.copyOf(kept, n);
        }
    }

    /** The newest entry. */
    int last() {
        return count - 1;
    }

    int count() {
        return count;
    }

    /** On any thread: a thread that sees an array from before a growth reads the entry as live. */
    int state(int i) {
        int[] st = states;
        return i < st.length ? st[i] : 0;
    }

    /**
     * How entry {@code i} died on its own, or 0 if it has not: no array is read while no entry of
     * the generation has died alone, which is a region's common case. On any thread.
     */
    int death(int i) {
        return deaths == 0 ? 0 : Math.min(state(i), 0);
    }

    void setState(int i, int s) {
        if (s < 0) {
            deaths++;
        }
        states[i] = s;
    }

    /** The block object of entry {@code i} that custody hands out, made from the entry on first need. */
    RegionBlock canonical(RegionHeap region, int generation, int i) {
        RegionBlock[] k = kept();
        RegionBlock b = k[i];
        if (b == null) {
            b = k[i] = new RegionBlock(region, addresses[i], sizes[i], tagById(tags[i]), null, generation, i);
        }
        return b;
    }

    /**
     * The live blocks, oldest first, pools' chunks left out. On the region's thread they are the
     * canonical objects; on another they are equal objects made without touching the log, from
     * the arrays as this thread sees them: exact at quiescence, never torn, never out of bounds.
     */
    List<BlockImpl> live(RegionHeap region, int generation, boolean onRegionThread) {
        int n = count;
        long[] a = addresses;
        long[] z = sizes;
        int[] t = tags;
        int[] st = states;
        RegionBlock[] k = kept;
        n = Math.min(Math.min(n, a.length), Math.min(Math.min(z.length, t.length), st.length));
        List<BlockImpl> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RegionBlock c = k != null && i < k.length ? k[i] : null;
            if (st[i] < 0 || c != null && c.heldBy != null) { // a pool's chunk is the pool's, not a leak here
                continue;
            }
            if (onRegionThread) {
                out.add(canonical(region, generation, i));
            } else {
                out.add(c != null ? c : new RegionBlock(region, a[i], z[i], tagById(t[i]), null, generation, i));
            }
        }
        return out;
    }

    /** The canonical object of {@code b}'s entry: {@code b} itself, if none was made before it. */
    RegionBlock keep(RegionBlock b) {
        RegionBlock[] k = kept();
        RegionBlock c = k[b.index];
        if (c == null) {
            k[b.index] = c = b;
        }
        return c;
    }

    /** The canonical object of entry {@code i}, or null if none was made; on any thread. */
    RegionBlock keptAt(int i) {
        RegionBlock[] k = kept;
        return k == null || i >= k.length ? null : k[i];
    }

    private RegionBlock[] kept() {
        RegionBlock[] k = kept;
        if (k == null) {
            kept = k = new RegionBlock[addresses.length];
        }
        return k;
    }

    /** The entry of the block that starts at {@code address}, dead or live, or -1. */
    int entryAt(long address) {
        if (index == null) {
            index = new HashMap<>();
        }
        for (int i = indexed; i < count; i++) {
            index.putIfAbsent(addresses[i], i);
        }
        indexed = count;
        Integer i = index.get(address);
        return i == null ? -1 : i;
    }

    /** Ends the generation: no entry, every state 0 again. */
    void clear() {
        Arrays.fill(states, 0, count, 0);
        if (kept != null) {
            Arrays.fill(kept, 0, count, null);
        }
        count = 0;
        deaths = 0;
        index = null;
        indexed = 0;
    }
}
