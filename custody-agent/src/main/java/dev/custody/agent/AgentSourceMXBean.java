package dev.custody.agent;

import java.util.Map;

/**
 * One source kind's books ({@code dev.custody:type=AgentSource,name=<kind>}, kind one of
 * {@code direct-buffer}, {@code arena}, {@code unsafe}, {@code jdk-internal}, {@code mapped}):
 * the totals, and the live bytes and blocks per owner.
 */
public interface AgentSourceMXBean {
    String getKind();

    long getLiveBytes();

    long getLiveBlocks();

    long getAllocations();

    long getFrees();

    /** Live bytes by owner label. */
    Map<String, Long> getLiveBytesByOwner();

    /** Live blocks by owner label. */
    Map<String, Long> getLiveBlocksByOwner();
}
