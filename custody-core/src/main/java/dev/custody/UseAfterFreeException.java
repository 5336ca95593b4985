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

    /** How the block died: {@code "freed"}, {@code "handed off"} or {@code "reallocated"}. */
    public String death() {
        return death;
    }
}
