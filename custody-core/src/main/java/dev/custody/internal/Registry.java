package dev.custody.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Every address custody handed out or adopted and that is still live, across all heaps. Law 4:
 * a raw-address free is checked here and never reaches native code for an unknown address.
 *
 * <p>An address leaves the registry before it goes back to the native allocator, so that the
 * allocator may hand it out again at once.
 *
 * <p>It sits on the hot path of every allocation and free, so it is not a ConcurrentHashMap
 * (boxing, a node per entry, a size counter: about 30 ns for a put and a remove). It is 64
 * stripes chosen by the address's hash, each an open-addressing table of unboxed {@code long}
 * keys behind a one-CAS spin lock: one atomic instruction per add or remove. Blocks of two
 * threads rarely meet on a stripe, and a stripe is held for a few dozen instructions.
 */
final class Registry {
    private static final int STRIPES = 64;
    private static final Stripe[] TABLE = new Stripe[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) {
            TABLE[i] = new Stripe();
        }
    }

    private Registry() {
    }

    private static long hash(long address) {
        return (address >>> 4) * 0x9E3779B97F4A7C15L;
    }

    private static Stripe stripe(long h) {
        return TABLE[(int) (h >>> 58)];
    }

    /** @return the block already registered at that address, or null if this one was added */
    static BlockImpl add(BlockImpl b) {
        long h = hash(b.address);
        Stripe s = stripe(h);
        s.lock();
        try {
            return s.putIfAbsent(b.address, h, b);
        } finally {
            s.unlock();
        }
    }

    static void remove(BlockImpl b) {
        long h = hash(b.address);
        Stripe s = stripe(h);
        s.lock();
        try {
            s.remove(b.address, h, b);
        } finally {
            s.unlock();
        }
    }

    static BlockImpl find(long address) {
        long h = hash(address);
        Stripe s = stripe(h);
        s.lock();
        try {
            return s.get(address, h);
        } finally {
            s.unlock();
        }
    }

    /** A copy of every registered block. */
    static List<BlockImpl> all() {
        List<BlockImpl> out = new ArrayList<>();
        for (Stripe s : TABLE) {
            s.lock();
            try {
                for (BlockImpl b : s.values) {
                    if (b != null) {
                        out.add(b);
                    }
                }
            } finally {
                s.unlock();
            }
        }
        return out;
    }

    /** One open-addressing table with linear probing. Keys: 0 empty, -1 removed (a tombstone). */
    private static final class Stripe {
        private static final long EMPTY = 0;
        private static final long TOMBSTONE = -1;
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
        // Guarded by the lock:
        private long[] keys = new long[64];
        private BlockImpl[] values = new BlockImpl[64];
        private int used; // live entries plus tombstones

        void lock() {
            if (!LOCK.compareAndSet(this, 0, 1)) {
                lockSlow();
            }
        }

        private void lockSlow() {
            for (int spins = 0; !LOCK.compareAndSet(this, 0, 1); spins++) {
                if (spins < 64) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        void unlock() {
            LOCK.setRelease(this, 0);
        }

        private int index(long h) {
            return (int) h & (keys.length - 1);
        }

        BlockImpl get(long address, long h) {
            long[] k = keys;
            int mask = k.length - 1;
            for (int i = index(h); ; i = (i + 1) & mask) {
                long key = k[i];
                if (key == address) {
                    return values[i];
                }
                if (key == EMPTY) {
                    return null;
                }
            }
        }

        BlockImpl putIfAbsent(long address, long h, BlockImpl b) {
            long[] k = keys;
            int mask = k.length - 1;
            int free = -1;
            for (int i = index(h); ; i = (i + 1) & mask) {
                long key = k[i];
                if (key == address) {
                    return values[i];
                }
                if (key == TOMBSTONE && free < 0) {
                    free = i;
                } else if (key == EMPTY) {
                    if (free < 0) {
                        free = i;
                        used++;
                    }
                    k[free] = address;
                    values[free] = b;
                    if (used * 2 > k.length) {
                        rehash();
                    }
                    return null;
                }
            }
        }

        void remove(long address, long h, BlockImpl b) {
            long[] k = keys;
            int mask = k.length - 1;
            for (int i = index(h); ; i = (i + 1) & mask) {
                long key = k[i];
                if (key == address) {
                    if (values[i] == b) {
                        k[i] = TOMBSTONE;
                        values[i] = null;
                    }
                    return;
                }
                if (key == EMPTY) {
                    return;
                }
            }
        }

        /** Grows when live entries fill a quarter of the table, else just sweeps the tombstones. */
        private void rehash() {
            long[] oldKeys = keys;
            BlockImpl[] oldValues = values;
            int live = 0;
            for (long key : oldKeys) {
                if (key != EMPTY && key != TOMBSTONE) {
                    live++;
                }
            }
            int capacity = live * 4 > oldKeys.length ? oldKeys.length * 2 : oldKeys.length;
            long[] k = new long[capacity];
            BlockImpl[] v = new BlockImpl[capacity];
            int mask = capacity - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                long key = oldKeys[j];
                if (key != EMPTY && key != TOMBSTONE) {
                    int i = (int) hash(key) & mask;
                    while (k[i] != EMPTY) {
                        i = (i + 1) & mask;
                    }
                    k[i] = key;
                    v[i] = oldValues[j];
                }
            }
            keys = k;
            values = v;
            used = live;
        }
    }
}
