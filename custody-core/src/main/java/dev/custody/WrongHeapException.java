package dev.custody;

import java.util.List;

/**
 * Law 1: a block was freed, handed off or reallocated through a heap that is not its owner. The
 * block is untouched and stays live.
 */
public class WrongHeapException extends CustodyException {
    /** The heap that was asked. */
    private final String callerHeap;

    /**
     * A free, hand-off, reallocation or transfer through a heap that is not the block's owner.
     *
     * @param message the full message
     * @param ownerHeap the heap the block belongs to
     * @param callerHeap the heap that was asked
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param sites the block's tracked sites, allocation first
     */
    public WrongHeapException(String message, String ownerHeap, String callerHeap, Tag tag, long size,
                              List<Site> sites) {
        super(message, ownerHeap, tag, size, sites);
        this.callerHeap = callerHeap;
    }

    /**
     * The heap the block belongs to.
     *
     * @return its name
     */
    public String ownerHeap() {
        return heap();
    }

    /**
     * The heap that was asked to free it (or to take it, for a hand-off).
     *
     * @return its name
     */
    public String callerHeap() {
        return callerHeap;
    }
}
