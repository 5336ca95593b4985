package dev.custody.debug;

import dev.custody.internal.RingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Reads the ring file of a guarded heap ({@link DebugOptions#withRing}), typically after the
 * process that wrote it was killed by a fault on a guard page. The writer maps the file {@code
 * MAP_SHARED} and stores each event as a fixed-size record, so everything written before the
 * crash is in the page cache and so in the file, though no shutdown hook ran.
 */
public final class GuardRing {
    private GuardRing() {
    }

    /**
     * One recorded event.
     *
     * @param sequence the event's number in the ring's life, from 0
     * @param time when it was written
     * @param kind {@code "allocate"}, {@code "free"} or {@code "unmap"} (a freed guarded block left
     *     the quarantine and its pages were unmapped)
     * @param guarded whether the block sits on guard pages (false: a sampled-out block with canaries)
     * @param heap the heap's name (truncated to the field's 39 bytes)
     * @param tag the block's tag name (truncated likewise)
     * @param size the block's size
     * @param address the block's address
     * @param threadId the writing thread's id
     * @param thread the writing thread's name (truncated)
     * @param site the caller frame of the event when the heap tracks the block, else empty
     */
    public record Event(long sequence, Instant time, String kind, boolean guarded, String heap, String tag, long size,
                        long address, long threadId, String thread, String site) {
    }

    /**
     * The events in the file, oldest first: at most the ring's capacity, the most recent ones.
     *
     * @param file the ring file a guarded heap wrote
     * @return the events
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the file is not a custody guard ring
     */
    public static List<Event> read(Path file) throws IOException {
        return RingFile.read(file);
    }
}
