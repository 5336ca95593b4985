package dev.custody.observe;

import dev.custody.Figures;

import java.util.Map;

/**
 * A heap's books over JMX, registered as {@code dev.custody:type=Heap,name=<heap>} by
 * {@link dev.custody.Custody#exposeOverJmx()} or, with no code, by {@code -Dcustody.jmx=true}. The
 * name is quoted ({@link javax.management.ObjectName#quote}) only when it holds a character an
 * ObjectName value cannot hold bare ({@code , = : " * ?} or a newline); a second open heap of
 * the same name is registered with {@code ,instance=2}, a third with {@code ,instance=3}, and so on.
 * The bean is unregistered when its heap closes. Every attribute and the operation carry a
 * description in the bean's {@link javax.management.MBeanInfo}.
 */
public interface HeapMXBean {
    /**
     * The heap's name.
     *
     * @return the name
     */
    String getName();

    /**
     * Bytes in live blocks, in all tags.
     *
     * @return the live bytes
     */
    long getLiveBytes();

    /**
     * Live blocks, in all tags.
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
     * Reference-counted blocks the garbage collector found unreleased, in all.
     *
     * @return the count
     */
    long getLeaksCollected();

    /**
     * The books per tag that the heap has used: the tag's name to its {@link Figures} (live bytes
     * and blocks, peak, allocations, frees, hand-offs, leaks collected). A JMX client sees a
     * table keyed by tag.
     *
     * @return the figures of each tag
     */
    Map<String, Figures> getTags();

    /**
     * The heap's tracking level.
     *
     * @return {@code OFF}, {@code SAMPLED} or {@code FULL}
     */
    String getTracking();

    /**
     * Sets the heap's tracking, for blocks allocated from now on, as the {@code custody.tracking}
     * switch is written: {@code off}, {@code sampled}, {@code sampled:N} (N the mean bytes between
     * samples; {@code k} and {@code m} allowed) or {@code full}.
     *
     * @param setting the setting, as the switch is written
     * @throws IllegalArgumentException if {@code setting} is none of those (a JMX client receives
     *     it wrapped in a {@link javax.management.RuntimeMBeanException}); nothing changes
     */
    void changeTracking(String setting);
}
