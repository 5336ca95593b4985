package dev.custody;

/**
 * How much a heap records about where its blocks come from and go to. A setting of each heap; see
 * {@link Heap#setTracking(Tracking, int)}. Its default, for every root heap from the first one the
 * JVM makes, comes from outside the code: the system property {@code custody.tracking} or else the
 * environment variable {@code CUSTODY_TRACKING}, valued {@code off} (the default when neither is
 * set), {@code sampled}, {@code sampled:N} (N the mean bytes between samples, {@code k} or {@code m}
 * allowed) or {@code full}. Child and debug heaps, regions and slabs take their parent's setting
 * (a flat region, which has no parent, takes the default); a {@code setTracking} call on a heap
 * beats the default.
 *
 * <p>A site is the raw backtrace of the call ({@code Throwable}'s, the cheapest the JVM offers),
 * turned into {@link StackTraceElement}s only when a report, an exception or an event needs them.
 * A tracked block keeps its allocation site and a bounded history of its last few events (detach,
 * claim, hand-off, free).
 *
 * <p>Cost on libc at 64 B (custody-bench's {@code TrackingBenchmark} and a plain loop; see {@code
 * custody-bench/RESULTS.md}): {@code SAMPLED} at its default rate read the same as {@code OFF} in
 * the loop (74.2 against 74.5 ns per allocate-and-free, best of 17 rounds); {@code FULL} pays for
 * two backtraces per block, 1.1-1.2 µs per allocate-and-free in the loop (two bare backtraces:
 * 0.7 µs), and about 25 ns more per frame of the caller's stack for each backtrace (2.2-2.5 µs
 * from 20 frames deeper). In one JMH run on 2 quiet cores (load 1.2-1.6, two rounds pooled):
 * {@code SAMPLED} 0.96 ± 0.22 of {@code OFF}, {@code FULL} 4.0 µs at JMH's stack depth.
 */
public enum Tracking {
    /** No sites: ownership and accounting only. Exceptions name heaps, tags and sizes. */
    OFF,
    /**
     * Sampled by bytes: on average one site per {@code N} bytes allocated, with a geometric interval
     * so the rate does not depend on block sizes; {@value #DEFAULT_SAMPLE_BYTES} B (512 KiB) by
     * default. Meant for production.
     */
    SAMPLED,
    /** Every allocation and every free records its site; meant for debugging and tests. */
    FULL;

    /** The default mean of {@link #SAMPLED}: 512 KiB between samples. */
    public static final int DEFAULT_SAMPLE_BYTES = 512 * 1024;
    /** How to turn tracking on, as {@link #UNTRACKED_HINT} and {@code custody report} say it. */
    public static final String HOW_TO_TRACK = "turn tracking on with -Dcustody.tracking=full, or"
            + " heap.setTracking(Tracking.FULL)";

    /**
     * The hint custody gives, in the same words everywhere (exception messages, leak reports,
     * {@code custody report}), where a block's allocation site was not tracked: it names the
     * system property {@code custody.tracking} and the per-heap setting.
     */
    public static final String UNTRACKED_HINT = "allocation site not tracked: " + HOW_TO_TRACK;
}
