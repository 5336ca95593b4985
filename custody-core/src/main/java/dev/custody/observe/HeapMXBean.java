package dev.custody.observe;

/**
 * A heap's books over JMX, registered as {@code dev.custody:type=Heap,name=<heap>} by
 * {@link dev.custody.Custody#exposeOverJmx()}.
 */
public interface HeapMXBean {
    String getName();

    long getLiveBytes();

    long getLiveBlocks();

    long getPeakBytes();

    long getAllocations();

    long getFrees();

    long getHandedOffBlocks();

    long getLeaksCollected();

    /** {@code OFF}, {@code SAMPLED} or {@code FULL}. */
    String getTracking();
}
