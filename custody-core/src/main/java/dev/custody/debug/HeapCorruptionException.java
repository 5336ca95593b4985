package dev.custody.debug;

import dev.custody.CustodyException;

/**
 * A debug heap found memory changed where nothing may write: a canary around a block (an overrun
 * or underrun) or the poison of a freed block (a write after free). {@link #corruption()} holds the
 * block's identity and the first changed byte; the message says the same for a person.
 *
 * <p>Thrown by a free (or reallocate) of the overrun block itself, and by {@link DebugHeap#verify()}
 * and {@link DebugHeap#close()} for every corruption the heap found; see {@link DebugHeaps} for
 * what happens to the memory.
 */
public class HeapCorruptionException extends CustodyException {
    /** The corruption reported; not serialised. */
    private final transient Corruption corruption;

    /**
     * The exception of a corruption, with its message and fields.
     *
     * @param corruption what was found
     */
    public HeapCorruptionException(Corruption corruption) {
        super(corruption.message(), corruption.heap(), corruption.tag(), corruption.size(), corruption.sites());
        this.corruption = corruption;
    }

    /**
     * The corruption this exception reports.
     *
     * @return it (for several, the first; the others are suppressed)
     */
    public Corruption corruption() {
        return corruption;
    }
}
