package dev.custody.internal;

/**
 * Which live block holds an address, for the blocks the {@link Registry} cannot find by probing
 * a few addresses below it: those over {@value #SMALL} B, and those whose start is not 8-aligned
 * (adopted at any address). An adoption inside such a block would give custody's own memory a
 * second owner.
 *
 * <p>A block of size in (2<sup>L−1</sup>, 2<sup>L</sup>] is entered once, under its level L and
 * the window of 2<sup>L</sup> bytes its start falls in; a block holding address {@code a} then
 * starts in window {@code a >> L} or the one before, so a lookup costs two probes per level in
 * use. As in the registry, an entry whose block died counts as absent and is swept later, so a
 * free costs nothing here; lookups read without the lock (a race with a rehash can only miss an
 * entry, never report a wrong one, since every candidate is checked against the block itself).
 *
 * <p>Entered only once a process first adopts: until then no one asks, and an allocation pays
 * nothing here. Measured (2 cores, loaded, best of 15 rounds of 2·10⁶): once active, a 1 KiB
 * allocate and free costs about 6 to 12 ns more (38-48 ns without), a 64 B one nothing; an
 * adoption with its free about 25 ns more (52 ns without the index).
 */
final class Extents {
    /** Blocks up to this size at 8-aligned starts are found by probing the registry instead. */
    static final long SMALL = 64;

    private static final int STRIPES = 64;
    private static final Stripe[] TABLE = new Stripe[STRIPES];
    /** The lowest and highest levels ever entered: a lookup probes only these. */
    private static volatile int minLevel = 64;
    private static volatile int maxLevel = -1;
    /** Registrations enter the index. */
    private static volatile boolean active;
    /** The index holds every live block it needs: lookups may trust it. */
    private static volatile boolean ready;

    static {
        for (int i = 0; i < STRIPES; i++) {
            TABLE[i] = new Stripe();
        }
    }

    private Extents() {
    }

    /** Whether the registry's probes cannot find {@code b}, so it must be entered here. */
    static boolean needed(BlockImpl b) {
        return active && (b.size > SMALL || (b.address & 7) != 0);
    }

    /**
     * Starts the index, at the first question: every live block it needs is entered. A block
     * registered meanwhile is entered by its own thread or found by this scan, since its thread
     * reads {@code active} after its registry insert, and the scan takes that insert's lock after
     * {@code active} is set.
     */
    static synchronized void activate() {
        if (ready) {
            return; // another thread activated it while this one waited
        }
        active = true;
        Registry.forEachLive(b -> {
            if (needed(b)) {
                add(b);
            }
        });
        ready = true;
    }

    static boolean ready() {
        return ready;
    }

    private static int level(long size) {
        return 64 - Long.numberOfLeadingZeros(Math.max(size, 1) - 1);
    }

    private static long key(int level, long window) {
        return (window << 6 | level) + 1; // + 1: key 0 marks an empty slot
    }

    private static long hash(long key) {
        return key * 0x9E3779B97F4A7C15L;
    }

    static void add(BlockImpl b) {
        int l = level(b.size);
        if (l < minLevel) {
            lowerMin(l);
        }
        if (l > maxLevel) {
            raiseMax(l);
        }
        long k = key(l, b.address >>> l);
        long h = hash(k);
        Stripe s = TABLE[(int) (h >>> 58)];
        s.lock();
        try {
            s.add(k, h, b);
        } finally {
            s.unlock();
        }
    }

    private static synchronized void lowerMin(int l) {
        minLevel = Math.min(minLevel, l);
    }

    private static synchronized void raiseMax(int l) {
        maxLevel = Math.max(maxLevel, l);
    }

    /** A live block entered here whose range holds {@code address}, or null. */
    static BlockImpl holding(long address) {
        for (int l = minLevel, max = maxLevel; l <= max; l++) {
            long w = address >>> l;
            BlockImpl b = probe(key(l, w), address);
            if (b == null && w > 0) {
                b = probe(key(l, w - 1), address);
            }
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    private static BlockImpl probe(long k, long address) {
        long h = hash(k);
        return TABLE[(int) (h >>> 58)].holding(k, h, address);
    }

    /**
     * Whether live {@code b} holds {@code address}; a block whose free is running holds nothing
     * (see {@link Registry#holder}).
     */
    static boolean holds(BlockImpl b, long address) {
        return b.isLive() && address >= b.address && address - b.address < Math.max(b.size, 1);
    }

    /** An open-addressing multimap: one key may have many entries (blocks starting in one window). */
    private static final class Stripe extends SpinLock {
        private static final int MIN_CAPACITY = 16;
        // Written under the lock; read without it (see the class comment).
        private volatile long[] keys = new long[MIN_CAPACITY];
        private volatile BlockImpl[] values = new BlockImpl[MIN_CAPACITY];
        private int used;
        private int inserts;

        BlockImpl holding(long wanted, long h, long address) {
            long[] k = keys;
            BlockImpl[] v = values;
            int n = Math.min(k.length, v.length); // a rehash may swap the arrays between the two reads
            for (int i = (int) h & (n - 1), seen = 0; seen < n; i = (i + 1) & (n - 1), seen++) {
                long key = k[i];
                if (key == 0) {
                    return null;
                }
                BlockImpl b = v[i]; // checked against the block itself: the arrays may be mid-swap
                if (key == wanted && b != null && holds(b, address)) {
                    return b;
                }
            }
            return null;
        }

        void add(long key, long h, BlockImpl b) {
            long[] k = keys;
            BlockImpl[] v = values;
            int mask = k.length - 1;
            int free = -1;
            for (int i = (int) h & mask; ; i = (i + 1) & mask) {
                long at = k[i];
                if (at == 0) {
                    if (free < 0) {
                        free = i;
                        used++;
                    }
                    break;
                }
                BlockImpl old = v[i];
                if (old == b) {
                    return; // entered already (a failed free or reallocation registers again)
                }
                if (free < 0 && !(old.isLive() || old.pending())) {
                    free = i;
                }
            }
            v[free] = b; // the value first: a reader that sees the key then finds its block
            k[free] = key;
            if (used * 2 > k.length || (k.length > MIN_CAPACITY && ++inserts > k.length)) {
                rehash();
            }
        }

        /** Sweeps the dead, and sizes the table to four to eight slots per live entry. */
        private void rehash() {
            long[] oldKeys = keys;
            BlockImpl[] oldValues = values;
            int live = 0;
            for (BlockImpl b : oldValues) {
                if (b != null && (b.isLive() || b.pending())) {
                    live++;
                }
            }
            int capacity = MIN_CAPACITY;
            while (capacity < live * 4) {
                capacity <<= 1;
            }
            long[] k = new long[capacity];
            BlockImpl[] v = new BlockImpl[capacity];
            int copied = 0;
            for (int j = 0; j < oldKeys.length; j++) {
                BlockImpl b = oldValues[j];
                if (b != null && (b.isLive() || b.pending())) {
                    int i = (int) hash(oldKeys[j]) & (capacity - 1);
                    while (k[i] != 0) {
                        i = (i + 1) & (capacity - 1);
                    }
                    k[i] = oldKeys[j];
                    v[i] = b;
                    copied++;
                }
            }
            values = v;
            keys = k;
            used = copied;
            inserts = 0;
        }
    }
}
