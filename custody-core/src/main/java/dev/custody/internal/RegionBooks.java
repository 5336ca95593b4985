package dev.custody.internal;

import dev.custody.Figures;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One line of a region's own books (its total, or one tag's): plain fields written only by the
 * region's thread, each store an opaque one, so that another thread (a snapshot, JMX) reads values
 * that are never torn. They are exact on the region's thread, after a release, and at quiescence;
 * no atomic read-modify-write is ever needed, since one thread writes.
 */
final class RegionBooks {
    private static final VarHandle LIVE_BYTES;
    private static final VarHandle PEAK_BYTES;
    private static final VarHandle ALLOCATIONS;
    private static final VarHandle FREES;
    private static final VarHandle LEVEL_PEAK;

    static {
        MethodHandles.Lookup l = MethodHandles.lookup();
        try {
            LIVE_BYTES = l.findVarHandle(RegionBooks.class, "liveBytes", long.class);
            PEAK_BYTES = l.findVarHandle(RegionBooks.class, "peakBytes", long.class);
            ALLOCATIONS = l.findVarHandle(RegionBooks.class, "allocations", long.class);
            FREES = l.findVarHandle(RegionBooks.class, "frees", long.class);
            LEVEL_PEAK = l.findVarHandle(RegionBooks.class, "levelPeak", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long liveBytes;
    private long peakBytes;
    private long allocations;
    private long frees;
    /** The region total's peak since the last release (a tag's is unused). */
    private long levelPeak;

    /**
     * A tag's allocation, on the region's thread. Its peak is brought up to date lazily: a tag's
     * live bytes fall only at {@link #freed} and {@link #released}, which first record the peak, so
     * the peak so far is the larger of the recorded one and the live bytes now ({@link #figures}).
     */
    void allocated(long bytes) {
        LIVE_BYTES.setOpaque(this, liveBytes + bytes);
        ALLOCATIONS.setOpaque(this, allocations + 1);
    }

    /**
     * The region total's allocation, on the region's thread: the peaks count {@code besides} too,
     * the live bytes of blocks that heaps stacked over the region carved in it.
     */
    void allocated(long bytes, long besides) {
        long live = liveBytes + bytes;
        LIVE_BYTES.setOpaque(this, live);
        ALLOCATIONS.setOpaque(this, allocations + 1);
        peakAt(live + besides);
    }

    /** The region total's peaks see {@code live} bytes, on the region's thread. */
    void peakAt(long live) {
        if (live > peakBytes) {
            PEAK_BYTES.setOpaque(this, live);
        }
        if (live > levelPeak) {
            LEVEL_PEAK.setOpaque(this, live);
        }
    }

    /** On any thread. */
    long levelPeak() {
        return (long) LEVEL_PEAK.getOpaque(this);
    }

    /** On the region's thread. */
    void freed(long bytes) {
        recordPeak();
        LIVE_BYTES.setOpaque(this, liveBytes - bytes);
        FREES.setOpaque(this, frees + 1);
    }

    /**
     * The release: every block allocated so far is dead, counted as freed. On the region's thread.
     *
     * @return how many were live
     */
    long released() {
        recordPeak();
        long live = allocations - frees;
        FREES.setOpaque(this, allocations);
        LIVE_BYTES.setOpaque(this, 0L);
        LEVEL_PEAK.setOpaque(this, 0L);
        return live;
    }

    private void recordPeak() {
        if (liveBytes > peakBytes) {
            PEAK_BYTES.setOpaque(this, liveBytes);
        }
    }

    /** On the region's thread: the live bytes it wrote. */
    long liveBytes() {
        return liveBytes;
    }

    /** On any thread. */
    long liveBlocks() {
        long f = (long) FREES.getOpaque(this);
        return (long) ALLOCATIONS.getOpaque(this) - f;
    }

    /** On any thread. */
    Figures figures() {
        long f = (long) FREES.getOpaque(this);
        long a = (long) ALLOCATIONS.getOpaque(this);
        long live = (long) LIVE_BYTES.getOpaque(this);
        return new Figures(live, a - f, Math.max(live, (long) PEAK_BYTES.getOpaque(this)), a, f, 0, 0, 0);
    }
}
