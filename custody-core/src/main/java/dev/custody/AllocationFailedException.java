package dev.custody;

import java.util.List;

/**
 * Law 9: the allocator returned NULL, the size was absurd, or a limit would have been passed. The
 * books are unchanged.
 */
public class AllocationFailedException extends CustodyException {
    /** The limit that would have been passed, or -1. */
    private final long limit;

    /**
     * A refused or failed allocation.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param limit the limit that would have been passed, or -1 if the allocator itself failed
     */
    public AllocationFailedException(String message, String heap, Tag tag, long size, long limit) {
        super(message, heap, tag, size, List.of());
        this.limit = limit;
    }

    /**
     * The limit that would have been passed.
     *
     * @return the limit in bytes, or -1 if the allocator itself failed
     */
    public long limit() {
        return limit;
    }
}
