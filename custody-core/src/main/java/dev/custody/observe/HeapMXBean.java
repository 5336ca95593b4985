package dev.custody.observe;

/**
 * A heap's books over JMX, registered as {@code dev.custody:type=Heap,name=<heap>} by
 * {@link dev.custody.Custody#exposeOverJmx()}.
 */
public interface HeapMXBean {
    /**
     * The heap's name.
     *
     * @return the name
     */
    String getName();

    /**
     * Bytes in live blocks.
     *
     * @return the live bytes
     */
    long getLiveBytes();

    /**
     * Live blocks.
     *
     * @return the count
     */
    long getLiveBlocks();

    /**
     * The highest live bytes seen.
     *
     * @return the peak in bytes
     */
    long getPeakBytes();

    /**
     * Blocks allocated or adopted, in all.
     *
     * @return the count
     */
    long getAllocations();

    /**
     * Blocks freed, in all.
     *
     * @return the count
     */
    long getFrees();

    /**
     * Blocks handed off to native code, in all.
     *
     * @return the count
     */
    long getHandedOffBlocks();

    /**
     * Reference-counted blocks the garbage collector found unreleased.
     *
     * @return the count
     */
    long getLeaksCollected();

    /**
     * The heap's tracking level.
     *
     * @return {@code OFF}, {@code SAMPLED} or {@code FULL}
     */
    String getTracking();
}
