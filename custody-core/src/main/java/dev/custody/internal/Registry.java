package dev.custody.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Every address custody handed out or adopted and that is still live, across all heaps. Law 4:
 * a raw-address free is checked here and never reaches native code for an unknown address.
 *
 * <p>A block's liveness is its own state word, not its presence here: an entry whose block is dead
 * counts as absent, and the next insert that probes past it reuses its slot. So a free, a hand-off
 * or a reallocation does nothing here; the CAS that took the block to pending already took the
 * address out for inserts and adoptions, before the memory goes back to the allocator, which may
 * hand it out again at once. Only a raw-address free still finds a pending block, and waits for
 * the outcome of its free (Law 10).
 * Dead entries are swept when a stripe fills up, and after every {@code capacity} inserts since its
 * last sweep; a sweep shrinks a stripe whose live entries fell below an eighth of its slots, so that
 * a peak does not cost its size for good (a stripe holds what is live, within a factor of eight).
 * Scans ({@link #forEachLive}) are for heaps whose books show live blocks only: an empty heap's
 * close never pays for the registry's size.
 *
 * <p>It sits on the hot path of every allocation, so it is not a ConcurrentHashMap (boxing, a
 * node per entry, a size counter: about 30 ns for a put and a remove). It is 64 stripes chosen by
 * the address's hash, each an open-addressing table of unboxed {@code long} keys behind a one-CAS
 * spin lock, taken by inserts and lookups only. Measured: an insert plus the remove it once had
 * cost 10 ns alone; in the libc allocate/free cycle, dropping the remove saved 7 ns (49 to 42), and
 * the insert that remains costs about 7.
 *
 * <p><b>Each heap's own blocks.</b> A heap's scan ({@link #liveOf}) visits only that heap's
 * entries, not the process's: in every stripe, a heap's entries form a doubly linked chain through
 * the stripe's slots ({@code int} links beside the keys), whose head is the heap's {@link
 * AbstractHeap#chainHeads} for that stripe. The links are ints, changed under the stripe's lock
 * that the insert holds anyway: no atomic, no lock and no reference store (so no GC write barrier)
 * of their own. Like the table, a chain forgets nothing at a free: a dead entry leaves its heap's
 * chain when its slot is reused, when a sweep rebuilds the stripe from its live entries, and at a
 * scan. So a chain is never longer than its heap's entries in the table, which holds what is live
 * within a factor of eight.
 */
final class Registry {
    private static final int STRIPES = 64;
    private static final Stripe[] TABLE = new Stripe[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            TABLE[i] = new Stripe(i);
        }
        AgentBridge.connect();
    }

    private Registry() {
    }

    private static long hash(long address) {
        return (address >>> 4) * 0x9E3779B97F4A7C15L;
    }

    private static Stripe stripe(long h) {
        return TABLE[(int) (h >>> 58)];
    }

    /**
     * Registers a live block, or registers it again (a reallocation that failed and revived it).
     *
     * @return the other live block already registered at that address, or null if this one is in
     */
    static BlockImpl add(BlockImpl b) {
        long h = hash(b.address);
        Stripe s = stripe(h);
        BlockImpl old;
        s.lock();
        try {
            old = s.putIfAbsent(b.address, h, b);
        } finally {
            s.unlock();
        }
        if (old == null && Extents.needed(b)) {
            Extents.add(b);
        }
        return old;
    }

    /**
     * @return the live block at that address (or the one whose free or reallocation is running:
     *     its outcome decides), or null; null for address 0, which is no block's
     */
    static BlockImpl find(long address) {
        if (address == 0) {
            return null; // key 0 marks an empty slot
        }
        long h = hash(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            return s.get(address, h);
        } finally {
            s.unlock();
        }
    }

    /**
     * The live block that starts at {@code address} or whose range holds it, or null: for an
     * adoption there. A block of at most {@value Extents#SMALL} B at an 8-aligned start is found by
     * probing the few starts below the address; any other is in {@link Extents}. A block whose free
     * is running holds nothing: its memory may be back with its allocator, and handed out again,
     * before the free returns.
     */
    static BlockImpl holder(long address) {
        if (address == 0) {
            return null;
        }
        BlockImpl b = find(address);
        if (b != null && b.isLive()) {
            return b;
        }
        for (long at = (address - 1) & -8L, n = 0; n < Extents.SMALL / 8 && at != 0; at -= 8, n++) {
            long h = hash(at);
            BlockImpl c = stripe(h).peek(at, h);
            if (c != null && Extents.holds(c, address)) {
                return c;
            }
        }
        if (!Extents.ready()) {
            Extents.activate();
        }
        return Extents.holding(address);
    }

    /** Number of stripes, and so of chains per heap. */
    static int stripes() {
        return STRIPES;
    }

    /** A settled death: a pending block's free or reallocation may still fail, and it stays linked. */
    private static boolean gone(BlockImpl b) {
        return !b.isLive() && !b.pending();
    }

    /**
     * The live blocks whose home is {@code heap} (some may die meanwhile: callers check), from its
     * own chains: the cost is this heap's blocks, whatever else is live in the process. Counts the
     * scan and the entries it visited.
     */
    static List<BlockImpl> liveOf(AbstractHeap heap) {
        SCANS.getAndIncrement();
        List<BlockImpl> out = new ArrayList<>();
        long visited = 0;
        for (Stripe s : TABLE) {
            if (heap.chainHeads[s.index] == 0) {
                continue; // a racy peek: a block linked meanwhile was allocated after the scan began
            }
            s.lock();
            try {
                visited += s.collect(heap, out);
            } finally {
                s.unlock();
            }
        }
        VISITED.getAndAdd(visited);
        return out;
    }

    private static final java.util.concurrent.atomic.AtomicLong VISITED = new java.util.concurrent.atomic.AtomicLong();

    /** How many chain entries scans visited, for tests: a heap's scan must not visit other heaps' blocks. */
    static long visited() {
        return VISITED.get();
    }

    /** Calls {@code action} for every live block (some may die meanwhile: callers check), outside the locks. */
    static void forEachLive(java.util.function.Consumer<BlockImpl> action) {
        all().forEach(action);
    }

    /**
     * A copy of every live block (some may die meanwhile: callers check). Counts the scan, and
     * shrinks the stripes it finds mostly dead.
     */
    static List<BlockImpl> all() {
        SCANS.getAndIncrement();
        List<BlockImpl> out = new ArrayList<>();
        for (Stripe s : TABLE) {
            s.lock();
            try {
                int before = out.size();
                for (BlockImpl b : s.values) {
                    if (b != null && b.isLive()) {
                        out.add(b);
                    }
                }
                s.trim(out.size() - before);
            } finally {
                s.unlock();
            }
        }
        return out;
    }

    // ---- pools' address ranges ----------------------------------------------------------------

    /**
     * A range of address space that is one pool's memory: a region's chunk or reservation, or a
     * chunk of a thread's frames. Its blocks are in no entry of the tables (a region's own blocks
     * are the region's business), so Law 4 for an address inside it comes from here: a raw free of
     * it through any other heap is refused as the pool's ({@link dev.custody.WrongHeapException}).
     *
     * @param pool how messages name the pool ({@code region 'level'})
     * @param owner the pool itself: its own raw frees are its business
     */
    record Range(long start, long end, String pool, Object owner) {
    }

    private static final java.util.concurrent.ConcurrentSkipListMap<Long, Range> RANGES =
            new java.util.concurrent.ConcurrentSkipListMap<>();

    /** Records a pool's range: once per chunk or reservation, never per block. */
    static void addRange(long start, long bytes, String pool, Object owner) {
        RANGES.put(start, new Range(start, start + bytes, pool, owner));
    }

    /** Forgets a range, before its memory goes back to where it came from. */
    static void removeRange(long start) {
        RANGES.remove(start);
    }

    /** The pool range holding {@code address}, or null. */
    static Range range(long address) {
        java.util.Map.Entry<Long, Range> e = RANGES.floorEntry(address);
        return e != null && address < e.getValue().end() ? e.getValue() : null;
    }

    /** How many ranges are recorded, for tests. */
    static int ranges() {
        return RANGES.size();
    }

    private static final java.util.concurrent.atomic.AtomicLong SCANS = new java.util.concurrent.atomic.AtomicLong();

    /** How many scans ran, for tests: an empty heap's close must not scan. */
    static long scans() {
        return SCANS.get();
    }

    /** The slots of all stripes, for tests: dead entries must not make the tables grow. */
    static int capacity() {
        int n = 0;
        for (Stripe s : TABLE) {
            s.lock();
            try {
                n += s.keys.length;
            } finally {
                s.unlock();
            }
        }
        return n;
    }

    /**
     * One open-addressing table with linear probing. Key 0 is an empty slot; a slot whose block is
     * dead is free for reuse but still ends no probe, so that probes stay correct. Invariant: an
     * address has at most one slot, because an insert reuses the slot of its own address first.
     */
    private static final class Stripe extends SpinLock {
        private static final long EMPTY = 0;
        /** A slot on no chain (empty, or a dead entry unlinked); {@code -1} ends a chain. */
        private static final int UNLINKED = -2;
        private static final int END = -1;
        /** This stripe's place in the table, and in every heap's chain heads. */
        final int index;

        Stripe(int index) {
            this.index = index;
            java.util.Arrays.fill(prev, UNLINKED);
        }

        private static final int MIN_CAPACITY = 64;
        // Guarded by the lock:
        private long[] keys = new long[MIN_CAPACITY];
        private BlockImpl[] values = new BlockImpl[MIN_CAPACITY];
        /** Each slot's neighbours on its block's heap's chain; {@link #UNLINKED} if on none. */
        private int[] prev = new int[MIN_CAPACITY];
        private int[] next = new int[MIN_CAPACITY];
        private int used; // slots that are not empty: live and dead entries
        private int inserts; // since the last sweep

        private int index(long h) {
            return (int) h & (keys.length - 1);
        }

        /** As {@link #get}, without the lock, for a hint that the caller checks against the block. */
        BlockImpl peek(long address, long h) {
            long[] k = keys;
            BlockImpl[] v = values;
            int n = Math.min(k.length, v.length);
            for (int i = (int) h & (n - 1), seen = 0; seen < n; i = (i + 1) & (n - 1), seen++) {
                long key = k[i];
                if (key == address) {
                    return v[i];
                }
                if (key == EMPTY) {
                    return null;
                }
            }
            return null;
        }

        BlockImpl get(long address, long h) {
            long[] k = keys;
            int mask = k.length - 1;
            for (int i = index(h); ; i = (i + 1) & mask) {
                long key = k[i];
                if (key == address) {
                    BlockImpl b = values[i];
                    return b.isLive() || b.pending() ? b : null;
                }
                if (key == EMPTY) {
                    return null;
                }
            }
        }

        BlockImpl putIfAbsent(long address, long h, BlockImpl b) {
            long[] k = keys;
            BlockImpl[] v = values;
            int mask = k.length - 1;
            int free = -1;
            for (int i = index(h); ; i = (i + 1) & mask) {
                long key = k[i];
                if (key == address) {
                    BlockImpl old = v[i];
                    if (old != b && old.isLive()) {
                        return old;
                    }
                    if (old != b) {
                        // the slot of a dead block at this address: the allocator reused it
                        replace(i, old, b);
                    } else if (prev[i] == UNLINKED) {
                        link(i, b); // else a block revived after a failed free, still on its chain
                    }
                    if (k.length > MIN_CAPACITY && ++inserts > k.length) {
                        rehash(); // a peak's table shrinks even when the allocator reuses one address
                    }
                    return null;
                }
                if (key == EMPTY) {
                    if (free < 0) {
                        free = i;
                        used++;
                    }
                    k[free] = address;
                    BlockImpl dead = v[free];
                    if (dead == null) {
                        v[free] = b;
                        link(free, b);
                    } else {
                        replace(free, dead, b); // a dead entry's slot, reused
                    }
                    if (used * 2 > k.length || (k.length > MIN_CAPACITY && ++inserts > k.length)) {
                        rehash();
                    }
                    return null;
                }
                if (free < 0 && !v[i].isLive()) {
                    free = i; // reusable, but the address may still be further along
                }
            }
        }

        /** Puts slot {@code i}, which holds {@code b} and is on no chain, at the head of its heap's chain. */
        private void link(int i, BlockImpl b) {
            int[] heads = b.heap.chainHeads;
            int h = heads[index] - 1;
            prev[i] = END;
            next[i] = h;
            if (h >= 0) {
                prev[h] = i;
            }
            heads[index] = i + 1;
        }

        /**
         * Slot {@code i}'s dead block gives way to {@code b}. If both are of one heap and the slot
         * is on its chain, it stays where it is (the allocate-free cycle on one address touches no
         * link at all); else it leaves the dead block's chain for {@code b}'s.
         */
        private void replace(int i, BlockImpl dead, BlockImpl b) {
            if (dead.heap == b.heap && prev[i] != UNLINKED) {
                values[i] = b;
                return;
            }
            unlink(i);
            values[i] = b;
            link(i, b);
        }

        /** Takes slot {@code i} off its block's heap's chain, if it is on one. */
        private void unlink(int i) {
            int p = prev[i];
            if (p == UNLINKED) {
                return;
            }
            int n = next[i];
            if (p >= 0) {
                next[p] = n;
            } else {
                values[i].heap.chainHeads[index] = n + 1;
            }
            if (n >= 0) {
                prev[n] = p;
            }
            prev[i] = UNLINKED;
        }

        /**
         * Adds the live blocks of {@code heap}'s chain here to {@code out}, unlinking the dead ones.
         *
         * @return how many entries it visited
         */
        int collect(AbstractHeap heap, List<BlockImpl> out) {
            int visited = 0;
            for (int i = heap.chainHeads[index] - 1; i >= 0; ) {
                visited++;
                int n = next[i];
                BlockImpl b = values[i];
                if (gone(b)) {
                    unlink(i);
                } else if (b.isLive()) {
                    out.add(b);
                }
                i = n;
            }
            return visited;
        }

        /** Shrinks a stripe whose {@code live} entries fell below an eighth of its slots. */
        void trim(int live) {
            if (keys.length > MIN_CAPACITY && live * 8 < keys.length) {
                rehash();
            }
        }

        /**
         * Grows when live entries fill a quarter of the table, shrinks when they fall below an
         * eighth (to twice a quarter), else just sweeps the dead ones.
         */
        private void rehash() {
            long[] oldKeys = keys;
            BlockImpl[] oldValues = values;
            int live = 0;
            for (BlockImpl b : oldValues) {
                if (b != null && b.isLive()) {
                    live++;
                }
            }
            int capacity = live * 4 > oldKeys.length ? oldKeys.length * 2 : oldKeys.length;
            while (capacity > MIN_CAPACITY && live * 8 < capacity) {
                capacity >>= 1;
            }
            for (int j = 0; j < oldKeys.length; j++) { // the chains here are rebuilt from the live entries
                if (oldValues[j] != null && prev[j] != UNLINKED) {
                    oldValues[j].heap.chainHeads[index] = 0;
                }
            }
            long[] k = new long[capacity];
            BlockImpl[] v = new BlockImpl[capacity];
            prev = new int[capacity];
            next = new int[capacity];
            java.util.Arrays.fill(prev, UNLINKED);
            int mask = capacity - 1;
            int copied = 0; // blocks may die meanwhile (not under this lock): count what is kept
            for (int j = 0; j < oldKeys.length; j++) {
                long key = oldKeys[j];
                BlockImpl b = oldValues[j];
                if (b != null && b.isLive()) {
                    int i = (int) hash(key) & mask;
                    while (k[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    k[i] = key;
                    v[i] = b;
                    link(i, b);
                    copied++;
                }
            }
            keys = k;
            values = v;
            used = copied;
            inserts = 0;
        }
    }
}
