package dev.custody;

import java.util.List;

/**
 * A block was to be freed, handed off or reallocated while views of it ({@link Block#open()})
 * were still open. The block is unchanged.
 */
public class BlockInUseException extends CustodyException {
    private final int openViews;

    public BlockInUseException(String message, String heap, Tag tag, long size, int openViews, List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.openViews = openViews;
    }

    public int openViews() {
        return openViews;
    }
}
