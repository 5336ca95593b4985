package dev.custody.agent.boot;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * The live blocks of the JVM's malloc heap, keyed by address: an open-addressing table of
 * primitive columns, striped by address so that threads rarely meet, in the spirit of
 * custody-core's {@code Registry} but with no object per block.
 *
 * <p>Java-heap cost per live block: 8 (key) + 8 (size) + 4 (row) + 4 (reference slot) = 24
 * bytes per slot, at a load of at most one half, so 48 bytes per live block at worst. The
 * reference slot holds what tells reachability: a direct buffer's own Cleaner, or an arena.
 *
 * <p>Each stripe is guarded by a spin lock: the critical sections are a probe and a few stores,
 * never a call out, so a holder is never blocked and never reenters.
 */
final class BlockTable {
    static final int STRIPES = 64;
    private static final long EMPTY = 0L;
    private static final long TOMBSTONE = -1L;
    private static final int MIN_CAPACITY = 64;
    /** Direct-mapped per stripe: recently freed addresses, to tell a double free from an unknown one. */
    private static final int FREED_SLOTS = 512;

    /** A live block, as handed to a scan. */
    record Live(long address, long size, int row, Object ref) {}

    /** {@link #remove} found no live block and no recent free at the address. */
    static final int UNKNOWN = -1;

    private final Stripe[] stripes = new Stripe[STRIPES];
    private final Rows rows;

    BlockTable(Rows rows) {
        this.rows = rows;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /** The code {@link #remove} returns when the address was freed recently from {@code row}: a double free. */
    static int freedFrom(int row) {
        return -2 - row;
    }

    /** The row of a recent free, from a {@link #remove} code below {@link #UNKNOWN}. */
    static int freedRow(int code) {
        return -2 - code;
    }

    private static int mix(long address) {
        long h = address * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private Stripe stripe(int hash) {
        return stripes[(hash >>> 26) & (STRIPES - 1)];
    }

    /**
     * Books a new live block in {@code row}: the table entry and the row's books. An entry already
     * at that address, whose free went by a path the agent does not see, leaves the books first.
     *
     * @param sampleMean the mean bytes between sampled stacks, 0 for none
     * @return true when this allocation is to be sampled: each stripe counts its bytes down to its
     *     next sample, a geometric interval, so that samples fall by bytes and need no per-thread state
     */
    boolean insert(long address, long size, int row, Object ref, long sampleMean) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            s.insert(address, h, size, row, ref, rows);
            rows.allocated(row, size);
            if (sampleMean > 0 && (s.untilSample -= size) <= 0) {
                s.untilSample = Hooks.nextSampleInterval();
                return true;
            }
            return false;
        } finally {
            s.unlock();
        }
    }

    /**
     * Removes the block at {@code address} and takes it off the books. Returns its row when it was
     * live; {@link #UNKNOWN} when the address was never seen; {@link #freedFrom} its row when it was
     * freed recently (a double free).
     */
    int remove(long address) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            return s.remove(address, h, rows);
        } finally {
            s.unlock();
        }
    }

    /** The size and row of the live block at {@code address} as {@code size << 12 | row}, or -1. */
    long find(long address) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            int i = s.find(address, h);
            return i < 0 ? -1 : (s.sizes[i] << 12) | s.rows[i];
        } finally {
            s.unlock();
        }
    }

    /** Gives the live block at {@code address} its owner reference (a direct buffer's Cleaner); nothing if it is gone. */
    void setRef(long address, Object ref) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            int i = s.find(address, h);
            if (i >= 0) {
                s.refs[i] = ref;
            }
        } finally {
            s.unlock();
        }
    }

    /** True when {@code address} is not live and was freed recently. */
    boolean recentlyFreed(long address) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            return s.find(address, h) < 0 && s.freedKeys[h & (FREED_SLOTS - 1)] == address;
        } finally {
            s.unlock();
        }
    }

    static void unbook(Rows rows, int row, long size, Object ref) {
        rows.freed(row, size);
        if (ref instanceof Arenas.Arena a) {
            a.add(-size);
        }
    }

    /** Hands every live block to {@code sink}, one stripe at a time (a stripe's copy is taken under its lock). */
    void forEach(Consumer<Live> sink) {
        for (Stripe s : stripes) {
            long[] keys;
            long[] sizes;
            int[] rows;
            Object[] refs;
            s.lock();
            try {
                keys = s.keys.clone();
                sizes = s.sizes.clone();
                rows = s.rows.clone();
                refs = s.refs.clone();
            } finally {
                s.unlock();
            }
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != EMPTY && keys[i] != TOMBSTONE) {
                    sink.accept(new Live(keys[i], sizes[i], rows[i], refs[i]));
                }
            }
        }
    }

    /** Draws every stripe's next sample anew, after the mean interval changed. */
    void resample() {
        for (Stripe s : stripes) {
            s.lock();
            try {
                s.untilSample = Hooks.nextSampleInterval();
            } finally {
                s.unlock();
            }
        }
    }

    /** The number of live blocks. */
    long size() {
        long n = 0;
        for (Stripe s : stripes) {
            s.lock();
            try {
                n += s.live;
            } finally {
                s.unlock();
            }
        }
        return n;
    }

    /** Slots allocated across the stripes: the Java-heap cost is 24 bytes each. */
    long capacity() {
        long n = 0;
        for (Stripe s : stripes) {
            s.lock();
            try {
                n += s.keys.length;
            } finally {
                s.unlock();
            }
        }
        return n;
    }

    private static final class Stripe {
        private static final VarHandle LOCK;

        static {
            try {
                LOCK = MethodHandles.lookup().findVarHandle(Stripe.class, "locked", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused") // through LOCK
        private volatile int locked;
        // Invariants, under the lock: live + tombstones < keys.length / 2 after every insert;
        // a key is EMPTY, TOMBSTONE or a live address, and sizes/rows/refs at its index belong to it.
        long untilSample = Hooks.nextSampleInterval();
        long[] keys = new long[MIN_CAPACITY];
        long[] sizes = new long[MIN_CAPACITY];
        int[] rows = new int[MIN_CAPACITY];
        Object[] refs = new Object[MIN_CAPACITY];
        int live;
        int tombstones;
        final long[] freedKeys = new long[FREED_SLOTS];
        final int[] freedRows = new int[FREED_SLOTS];

        void lock() {
            if (!LOCK.compareAndSet(this, 0, 1)) {
                contended();
            }
        }

        private void contended() {
            int spins = 0;
            while (!LOCK.compareAndSet(this, 0, 1)) {
                if (++spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        void unlock() {
            LOCK.setRelease(this, 0);
        }

        int find(long address, int h) {
            int mask = keys.length - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                long k = keys[i];
                if (k == address) {
                    return i;
                }
                if (k == EMPTY) {
                    return -1;
                }
            }
        }

        void insert(long address, int h, long size, int row, Object ref, Rows books) {
            int f = h & (FREED_SLOTS - 1);
            if (freedKeys[f] == address) {
                freedKeys[f] = EMPTY;
            }
            int existing = find(address, h);
            if (existing >= 0) {
                unbook(books, rows[existing], sizes[existing], refs[existing]);
                sizes[existing] = size;
                rows[existing] = row;
                refs[existing] = ref;
                return;
            }
            if ((live + tombstones + 1) * 2 > keys.length) {
                rehash(live + 1 > keys.length / 4 ? keys.length * 2 : keys.length);
            }
            int mask = keys.length - 1;
            int i = h & mask;
            while (keys[i] != EMPTY && keys[i] != TOMBSTONE) {
                i = (i + 1) & mask;
            }
            if (keys[i] == TOMBSTONE) {
                tombstones--;
            }
            keys[i] = address;
            sizes[i] = size;
            rows[i] = row;
            refs[i] = ref;
            live++;
        }

        int remove(long address, int h, Rows books) {
            int i = find(address, h);
            int f = h & (FREED_SLOTS - 1);
            if (i < 0) {
                return freedKeys[f] == address ? freedFrom(freedRows[f]) : UNKNOWN;
            }
            int row = rows[i];
            unbook(books, row, sizes[i], refs[i]);
            keys[i] = TOMBSTONE;
            refs[i] = null;
            live--;
            tombstones++;
            freedKeys[f] = address;
            freedRows[f] = row;
            if (keys.length > MIN_CAPACITY && live * 8 < keys.length) {
                rehash(keys.length / 2);
            }
            return row;
        }

        private void rehash(int capacity) {
            long[] oldKeys = keys;
            long[] oldSizes = sizes;
            int[] oldRows = rows;
            Object[] oldRefs = refs;
            keys = new long[capacity];
            sizes = new long[capacity];
            rows = new int[capacity];
            refs = new Object[capacity];
            tombstones = 0;
            int mask = capacity - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                long k = oldKeys[j];
                if (k != EMPTY && k != TOMBSTONE) {
                    int i = mix(k) & mask;
                    while (keys[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = k;
                    sizes[i] = oldSizes[j];
                    rows[i] = oldRows[j];
                    refs[i] = oldRefs[j];
                }
            }
        }
    }
}
