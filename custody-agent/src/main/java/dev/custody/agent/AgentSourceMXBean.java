package dev.custody.agent;

import java.util.Map;

/**
 * One source kind's books ({@code dev.custody:type=AgentSource,name=<kind>}, kind one of
 * {@code direct-buffer}, {@code arena}, {@code unsafe}, {@code jdk-internal}, {@code mapped}):
 * the totals, and the live bytes and blocks per owner.
 */
public interface AgentSourceMXBean {
    /**
     * The source kind this bean reports.
     *
     * @return one of the kinds named in the class comment, as in the bean's {@code name} key
     */
    String getKind();

    /**
     * Bytes of the kind's blocks now live.
     *
     * @return the live bytes, read now
     */
    long getLiveBytes();

    /**
     * The kind's blocks now live.
     *
     * @return allocations less frees, read now
     */
    long getLiveBlocks();

    /**
     * The kind's blocks allocated since the agent started.
     *
     * @return the count, read now
     */
    long getAllocations();

    /**
     * The kind's blocks freed since the agent started.
     *
     * @return the count, read now
     */
    long getFrees();

    /**
     * Live bytes by owner label.
     *
     * @return a new map from owner label (such as {@code com.acme.Pool (jar acme-1.0.jar)}) to its
     *     live bytes, sorted by owner
     */
    Map<String, Long> getLiveBytesByOwner();

    /**
     * Live blocks by owner label.
     *
     * @return a new map from owner label to its live blocks, sorted by owner
     */
    Map<String, Long> getLiveBlocksByOwner();
}
