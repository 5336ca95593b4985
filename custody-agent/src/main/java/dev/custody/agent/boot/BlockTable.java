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
 * bytes per slot, at a load of at most one half, so 48 bytes per live block at worst, plus the
 * owner's {@code WeakReference} (32 bytes) for direct buffers only.
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

    /** What a removal found: the size and row of the block, and its owner reference. */
    static final class Removed {
        long size;
        int row;
        Object ref;
    }

    /** A live block, as handed to a scan. */
    record Live(long address, long size, int row, Object ref) {}

    private final Stripe[] stripes = new Stripe[STRIPES];

    BlockTable() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    private static int mix(long address) {
        long h = address * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    private Stripe stripe(int hash) {
        return stripes[(hash >>> 26) & (STRIPES - 1)];
    }

    /** Books a new live block; an entry already at that address is replaced and returned in {@code old}. */
    boolean insert(long address, long size, int row, Object ref, Removed old) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            return s.insert(address, h, size, row, ref, old);
        } finally {
            s.unlock();
        }
    }

    /**
     * Removes the block at {@code address}. Returns true and fills {@code out} when it was live;
     * returns false when it was not, with {@code out.row} the row of a recent free of the same
     * address (a double free), or -1 when the address was never seen.
     */
    boolean remove(long address, Removed out) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            return s.remove(address, h, out);
        } finally {
            s.unlock();
        }
    }

    /** The row of the live block at {@code address}, or -1. */
    int rowOf(long address) {
        int h = mix(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            int i = s.find(address, h);
            return i < 0 ? -1 : s.rows[i];
        } finally {
            s.unlock();
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

        boolean insert(long address, int h, long size, int row, Object ref, Removed old) {
            int f = h & (FREED_SLOTS - 1);
            if (freedKeys[f] == address) {
                freedKeys[f] = EMPTY;
            }
            int existing = find(address, h);
            if (existing >= 0) {
                old.size = sizes[existing];
                old.row = rows[existing];
                old.ref = refs[existing];
                sizes[existing] = size;
                rows[existing] = row;
                refs[existing] = ref;
                return false;
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
            return true;
        }

        boolean remove(long address, int h, Removed out) {
            int i = find(address, h);
            int f = h & (FREED_SLOTS - 1);
            if (i < 0) {
                out.row = freedKeys[f] == address ? freedRows[f] : -1;
                out.size = 0;
                out.ref = null;
                return false;
            }
            out.size = sizes[i];
            out.row = rows[i];
            out.ref = refs[i];
            keys[i] = TOMBSTONE;
            refs[i] = null;
            live--;
            tombstones++;
            freedKeys[f] = address;
            freedRows[f] = out.row;
            if (keys.length > MIN_CAPACITY && live * 8 < keys.length) {
                rehash(keys.length / 2);
            }
            return true;
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
