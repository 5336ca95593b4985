package dev.custody;

/**
 * How much a heap records about where its blocks come from and go to. A setting of each heap; see
 * {@link Heap#setTracking(Tracking, int)}. Its default, for every root heap from the first one the
 * JVM makes, comes from outside the code: the system property {@code custody.tracking} or else the
 * environment variable {@code CUSTODY_TRACKING}, valued {@code off} (the default when neither is
 * set), {@code sampled}, {@code sampled:N} (N the mean bytes between samples, {@code k} or {@code m}
 * allowed) or {@code full}. Regions and slabs are root heaps and take the default too; child and
 * debug heaps take their parent's setting; a {@code setTracking} call on a heap beats the default.
 *
 * <p>Sites are captured with {@link StackWalker}. A tracked block keeps its allocation site and
 * a bounded history of its last few events (detach, claim, hand-off, free).
 */
public enum Tracking {
    /** No sites: ownership and accounting only. Exceptions name heaps, tags and sizes. */
    OFF,
    /** One allocation in N (the sample rate) records its site; meant for production. */
    SAMPLED,
    /** Every allocation and every free records its site; meant for debugging and tests. */
    FULL;

    /** How to turn tracking on, as {@link #UNTRACKED_HINT} and {@code custody report} say it. */
    public static final String HOW_TO_TRACK = "turn tracking on with -Dcustody.tracking=full, or"
            + " heap.setTracking(Tracking.FULL, 1)";

    /**
     * The hint custody gives, in the same words everywhere (exception messages, leak reports,
     * {@code custody report}), where a block's allocation site was not tracked: it names the
     * system property {@code custody.tracking} and the per-heap setting.
     */
    public static final String UNTRACKED_HINT = "allocation site not tracked: " + HOW_TO_TRACK;
}
