package dev.custody;

import java.util.List;

/**
 * A block was to be freed, handed off or reallocated while others still hold it: views of it
 * ({@link Block#open()}) are open, or it is a reference-counted block whose count is above 1 (for
 * a free), or above 0 (for a reallocation, which would leave the other holders with the old
 * address). The block is unchanged.
 */
public class BlockInUseException extends CustodyException {
    /** The views open at the refusal. */
    private final int openViews;
    /** The reference count at the refusal, or 0. */
    private final int references;

    /**
     * A refusal because views are open.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param openViews the views open at the refusal
     * @param sites the block's tracked sites, allocation first
     */
    public BlockInUseException(String message, String heap, Tag tag, long size, int openViews, List<Site> sites) {
        this(message, heap, tag, size, openViews, 0, sites);
    }

    /**
     * A refusal because views are open, or a reference count is above 1.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param openViews the views open at the refusal
     * @param references the reference count of a counted block, or 0 for a plain block
     * @param sites the block's tracked sites, allocation first
     */
    public BlockInUseException(String message, String heap, Tag tag, long size, int openViews, int references,
                               List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.openViews = openViews;
        this.references = references;
    }

    /**
     * The views open at the refusal.
     *
     * @return the count; 0 when a reference count refused it
     */
    public int openViews() {
        return openViews;
    }

    /**
     * The reference count at the refusal.
     *
     * @return the count of a counted block, or 0 for a plain block
     */
    public int references() {
        return references;
    }
}
