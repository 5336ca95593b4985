package dev.custody;

import java.util.List;

/**
 * The native free of a block failed: the allocator's free function (or the block's {@link
 * Releaser}) threw. The memory was not given back, so the block stays live and counted in the
 * books, and a later free may try again. {@link #getCause()} is what the free function threw.
 */
public class FreeFailedException extends CustodyException {
    /**
     * A free whose native function threw.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param sites the block's tracked sites, allocation first
     * @param cause what the free function threw
     */
    public FreeFailedException(String message, String heap, Tag tag, long size, List<Site> sites, Throwable cause) {
        super(message, heap, tag, size, sites);
        initCause(cause);
    }
}
