package dev.custody;

import java.util.List;

/**
 * The thread contract was broken: a thread that does not own a block called {@code segment()},
 * {@code free()}, {@code detach()} or {@code handOff()} on it. The message names both threads.
 */
public class BlockOwnershipException extends CustodyException {
    /** The thread that owns the block. */
    private final String ownerThread;
    /** The thread that asked. */
    private final String callerThread;

    /**
     * A refusal on a thread that does not own the block.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param ownerThread the name of the thread that owns the block
     * @param callerThread the name of the thread that asked
     * @param sites the block's tracked sites, allocation first
     */
    public BlockOwnershipException(String message, String heap, Tag tag, long size, String ownerThread,
                                   String callerThread, List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.ownerThread = ownerThread;
        this.callerThread = callerThread;
    }

    /**
     * The thread that owns the block.
     *
     * @return its name
     */
    public String ownerThread() {
        return ownerThread;
    }

    /**
     * The thread that asked.
     *
     * @return its name
     */
    public String callerThread() {
        return callerThread;
    }
}
