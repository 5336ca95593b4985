package dev.custody;

import java.util.List;

/**
 * Law 3: custody's own method was called on a dead block (freed, handed off or reallocated).
 * Access through a segment handed out earlier throws the JDK's {@link IllegalStateException}
 * instead.
 */
public class UseAfterFreeException extends CustodyException {
    private final String death;

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
     */
    public String death() {
        return death;
    }
}
