package dev.custody;

import java.util.List;

/**
 * Law 3: custody's own method was called on a dead block (freed, handed off or reallocated).
 * Access through a segment handed out earlier throws the JDK's {@link IllegalStateException}
 * instead.
 */
public class UseAfterFreeException extends CustodyException {
    /** How the block died. */
    private final String death;

    /**
     * A use of a dead block.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param death how the block died: {@code "freed"}, {@code "handed off"} or {@code "reallocated"}
     * @param sites the block's tracked sites, allocation first
     */
    public UseAfterFreeException(String message, String heap, Tag tag, long size, String death, List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.death = death;
    }

    /**
     * How the block died, one of exactly three: {@code "freed"} (a free, a release of its last
     * reference, a region's release, or the collector finding a counted block unreleased), {@code
     * "handed off"} (to native code that frees it) or {@code "reallocated"} (its contents moved to
     * the block {@code reallocate} returned). A free or reallocation still running is never
     * reported: custody waits for its outcome, and reports that.
     *
     * @return {@code "freed"}, {@code "handed off"} or {@code "reallocated"}
     */
    public String death() {
        return death;
    }
}
