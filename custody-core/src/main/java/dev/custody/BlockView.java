package dev.custody;

import java.lang.foreign.MemorySegment;

/**
 * A borrowed view of a block, confined to the thread that opened it. While any view is open the
 * block cannot be freed.
 */
public sealed interface BlockView extends AutoCloseable permits dev.custody.internal.BlockImpl.View {
    /**
     * The block's memory, valid on this view's thread until the view closes.
     *
     * @throws WrongThreadException if called from another thread
     */
    MemorySegment segment();

    /** The block this view borrows. */
    Block block();

    /**
     * Closes the view and invalidates its segment. Idempotent.
     *
     * @throws WrongThreadException if called from another thread than the one that opened it
     */
    @Override
    void close();
}
