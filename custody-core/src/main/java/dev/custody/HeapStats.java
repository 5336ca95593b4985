package dev.custody;

import java.util.Map;

/**
 * A heap's books at one moment.
 *
 * <p>Each counter is exact under concurrent use; the figures of different counters are read one
 * after another, so only at quiescence does {@code total} equal the sum over {@code byTag}.
 *
 * @param heap the heap's name
 * @param id the heap's identity in this process: a serial, never reused, that tells apart heaps
 *     of the same name (snapshots are compared by it)
 * @param total the whole heap's figures; its {@code peakBytes} is the heap's own peak
 * @param byTag the figures of every tag the heap has ever seen, in tag order
 */
public record HeapStats(String heap, long id, Figures total, Map<Tag, Figures> byTag) {
    /** Copies {@code byTag}, keeping its order. */
    public HeapStats {
        byTag = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(byTag));
    }

    /**
     * The figures of one tag.
     *
     * @param tag the tag
     * @return its figures, or {@link Figures#ZERO} if the heap never saw it
     */
    public Figures tag(Tag tag) {
        return byTag.getOrDefault(tag, Figures.ZERO);
    }
}
