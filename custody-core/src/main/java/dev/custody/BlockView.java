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
     * @return the view's segment over the block's bytes
     * @throws WrongThreadException if called from another thread
     */
    MemorySegment segment();

    /**
     * The block this view borrows; for a reference-counted block, its {@link SharedBlock}, whose
     * free respects the count (the view holds one reference while open).
     *
     * @return the block
     */
    Block block();

    /**
     * Closes the view and invalidates its segment. Idempotent. For a reference-counted block the
     * view's reference is released: if it was the last one, the block is freed here, as by {@link
     * SharedBlock#release()}, and so is a block whose handle the garbage collector found
     * unreachable while this view was open.
     *
     * @throws WrongThreadException if called from another thread than the one that opened it;
     *     nothing changes
     * @throws FreeFailedException if this close freed a counted block and the free function threw;
     *     the count is 1 again and the block live and counted
     */
    @Override
    void close();
}
