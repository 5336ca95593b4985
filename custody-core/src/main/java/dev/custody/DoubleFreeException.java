package dev.custody;

import java.util.List;

/**
 * Law 2: a block was freed a second time. Nothing reached the native allocator twice. {@link
 * #sites()} holds the allocation site and the first free's site when tracked.
 */
public class DoubleFreeException extends CustodyException {
    /**
     * A refused second free.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param sites the block's tracked sites, allocation first
     */
    public DoubleFreeException(String message, String heap, Tag tag, long size, List<Site> sites) {
        super(message, heap, tag, size, sites);
    }
}
