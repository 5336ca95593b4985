package dev.custody;

import java.util.List;

/**
 * Law 1: a block was freed, handed off or reallocated through a heap that is not its owner. The
 * block is untouched and stays live.
 */
public class WrongHeapException extends CustodyException {
    private final String callerHeap;

    public WrongHeapException(String message, String ownerHeap, String callerHeap, Tag tag, long size,
                              List<Site> sites) {
        super(message, ownerHeap, tag, size, sites);
        this.callerHeap = callerHeap;
    }

    /** The heap the block belongs to. */
    public String ownerHeap() {
        return heap();
    }

    /** The heap that was asked to free it. */
    public String callerHeap() {
        return callerHeap;
    }
}
