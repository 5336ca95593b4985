package dev.custody.internal;

import dev.custody.Figures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One line of books: a heap's, or one tag's within a heap. Lock-free; every counter is exact under
 * concurrent use. Live blocks are derived, so a tag's allocation costs two atomic adds and a free
 * two. A heap's own ledger keeps only live bytes (for its limit) and its peak: its counts are the
 * sums of its tags' (see {@link #heapFigures}), so that the hot path pays for each count once.
 */
final class Ledger {
    private static final VarHandle LIVE_BYTES;
    private static final VarHandle PEAK_BYTES;
    private static final VarHandle ALLOCATIONS;
    private static final VarHandle FREES;
    private static final VarHandle HANDED_OFF_BLOCKS;
    private static final VarHandle HANDED_OFF_BYTES;
    private static final VarHandle LEAKS_COLLECTED;

    static {
        MethodHandles.Lookup l = MethodHandles.lookup();
        try {
            LIVE_BYTES = l.findVarHandle(Ledger.class, "liveBytes", long.class);
            PEAK_BYTES = l.findVarHandle(Ledger.class, "peakBytes", long.class);
            ALLOCATIONS = l.findVarHandle(Ledger.class, "allocations", long.class);
            FREES = l.findVarHandle(Ledger.class, "frees", long.class);
            HANDED_OFF_BLOCKS = l.findVarHandle(Ledger.class, "handedOffBlocks", long.class);
            HANDED_OFF_BYTES = l.findVarHandle(Ledger.class, "handedOffBytes", long.class);
            LEAKS_COLLECTED = l.findVarHandle(Ledger.class, "leaksCollected", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Upper bound on liveBytes, enforced by {@link #tryReserve}; Long.MAX_VALUE for none. */
    final long limit;
    /** Bytes in live blocks, including bytes reserved by an allocation still in progress. */
    private volatile long liveBytes;
    /** Highest liveBytes after a completed allocation; only ever grows. */
    private volatile long peakBytes;
    /** Blocks allocated or adopted; only ever grows. */
    private volatile long allocations;
    /** Blocks freed (including reallocated-away and collected); only ever grows. */
    private volatile long frees;
    /** Blocks handed off to native code; they left the live books. Only ever grows. */
    private volatile long handedOffBlocks;
    private volatile long handedOffBytes;
    /** Shared blocks the GC found unreleased; also counted in frees when custody freed them. */
    private volatile long leaksCollected;

    Ledger(long limit) {
        this.limit = limit;
    }

    /**
     * Reserves bytes against the limit before the native allocation.
     *
     * @return false, with nothing changed, if the limit would be passed
     */
    boolean tryReserve(long bytes) {
        if (limit == Long.MAX_VALUE) {
            LIVE_BYTES.getAndAdd(this, bytes);
            return true;
        }
        for (;;) {
            long cur = liveBytes;
            long next = cur + bytes;
            if (next > limit || next < 0) {
                return false;
            }
            if (LIVE_BYTES.weakCompareAndSet(this, cur, next)) {
                return true;
            }
        }
    }

    /** Undoes a reservation whose allocation failed. */
    void unreserve(long bytes) {
        LIVE_BYTES.getAndAdd(this, -bytes);
    }

    /** Completes a reserved allocation on a heap's ledger: only the peak moves. */
    void reservedPeak() {
        long live = liveBytes;
        long peak = peakBytes;
        while (live > peak && !PEAK_BYTES.weakCompareAndSet(this, peak, live)) {
            peak = peakBytes;
        }
    }

    /** Reserve and complete in one, for ledgers without a limit. */
    void allocatedUnlimited(long bytes) {
        long live = (long) LIVE_BYTES.getAndAdd(this, bytes) + bytes;
        ALLOCATIONS.getAndAdd(this, 1L);
        long peak = peakBytes;
        while (live > peak && !PEAK_BYTES.weakCompareAndSet(this, peak, live)) {
            peak = peakBytes;
        }
    }

    void freed(long bytes) {
        LIVE_BYTES.getAndAdd(this, -bytes);
        FREES.getAndAdd(this, 1L);
    }

    void handedOff(long bytes) {
        LIVE_BYTES.getAndAdd(this, -bytes);
        HANDED_OFF_BLOCKS.getAndAdd(this, 1L);
        HANDED_OFF_BYTES.getAndAdd(this, bytes);
    }

    void leakCollected() {
        LEAKS_COLLECTED.getAndAdd(this, 1L);
    }

    long liveBytes() {
        return liveBytes;
    }

    /**
     * Live blocks, never below the number live throughout the call: the frees are read before the
     * allocations, so a block allocated and freed meanwhile cannot hide one that stayed live.
     */
    long liveBlocksAtLeast() {
        long gone = frees + handedOffBlocks;
        return allocations - gone;
    }

    /** A heap's figures: its own live bytes and peak, with the counts summed over its tags. */
    Figures heapFigures(Iterable<Ledger> tags) {
        long a = 0;
        long f = 0;
        long h = 0;
        long hb = 0;
        long l = 0;
        for (Ledger t : tags) {
            a += t.allocations;
            f += t.frees;
            h += t.handedOffBlocks;
            hb += t.handedOffBytes;
            l += t.leaksCollected;
        }
        return new Figures(liveBytes, a - f - h, peakBytes, a, f, h, hb, l);
    }

    Figures figures() {
        long f = frees;
        long h = handedOffBlocks;
        long a = allocations;
        return new Figures(liveBytes, a - f - h, peakBytes, a, f, h, handedOffBytes, leaksCollected);
    }
}
