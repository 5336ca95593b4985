package dev.custody;

import java.util.List;

/**
 * The thread contract was broken: a thread that does not own a block called {@code segment()},
 * {@code free()}, {@code detach()} or {@code handOff()} on it. The message names both threads.
 */
public class BlockOwnershipException extends CustodyException {
    private final String ownerThread;
    private final String callerThread;

    public BlockOwnershipException(String message, String heap, Tag tag, long size, String ownerThread,
                                   String callerThread, List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.ownerThread = ownerThread;
        this.callerThread = callerThread;
    }

    public String ownerThread() {
        return ownerThread;
    }

    public String callerThread() {
        return callerThread;
    }
}
