package dev.custody;

import java.util.List;

/**
 * A block was to be freed, handed off or reallocated while others still hold it: views of it
 * ({@link Block#open()}) are open, or it is a reference-counted block whose count is above 1 (for
 * a free), or above 0 (for a reallocation, which would leave the other holders with the old
 * address). The block is unchanged.
 */
public class BlockInUseException extends CustodyException {
    private final int openViews;
    private final int references;

    public BlockInUseException(String message, String heap, Tag tag, long size, int openViews, List<Site> sites) {
        this(message, heap, tag, size, openViews, 0, sites);
    }

    /**
     * @param references the reference count of a counted block, or 0 for a plain block
     */
    public BlockInUseException(String message, String heap, Tag tag, long size, int openViews, int references,
                               List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.openViews = openViews;
        this.references = references;
    }

    /** The views open at the refusal; 0 when a reference count refused it. */
    public int openViews() {
        return openViews;
    }

    /** The reference count of a counted block at the refusal, or 0 for a plain block. */
    public int references() {
        return references;
    }
}
