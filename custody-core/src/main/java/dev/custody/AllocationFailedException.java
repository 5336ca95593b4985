package dev.custody;

import java.util.List;

/**
 * Law 9: the allocator returned NULL, the size was absurd, or a limit would have been passed. The
 * books are unchanged.
 */
public class AllocationFailedException extends CustodyException {
    private final long limit;

    public AllocationFailedException(String message, String heap, Tag tag, long size, long limit) {
        super(message, heap, tag, size, List.of());
        this.limit = limit;
    }

    /** The limit that would have been passed, or -1 if the allocator itself failed. */
    public long limit() {
        return limit;
    }
}
