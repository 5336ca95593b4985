package dev.custody.remote;

import java.util.Arrays;

/** The last 65,536 latencies, for percentiles. */
final class LatencyLog {
    private final long[] ring = new long[1 << 16];
    private long count;

    synchronized void add(long nanos) {
        ring[(int) (count++ & (ring.length - 1))] = nanos;
    }

    /** The p-th percentile (0..100) in nanoseconds, 0 if nothing was recorded. */
    synchronized long percentile(double p) {
        int n = (int) Math.min(count, ring.length);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(ring, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * n); // nearest-rank percentile, 1-based
        return sorted[Math.clamp(rank - 1, 0, n - 1)];
    }
}
