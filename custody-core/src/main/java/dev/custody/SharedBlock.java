package dev.custody;

/**
 * A reference-counted block, freed on its owning heap exactly once, when the count reaches zero.
 *
 * <p>Law 7: counts never resurrect. After the block is freed, {@link #retain()} and
 * {@link #release()} throw. When the garbage collector finds a shared block unreleased, nothing
 * can reach it any more, so custody frees it and reports the leak to the heap's {@link LeakListener},
 * as a JFR {@code dev.custody.Leak} event, and in the books; if views of it are still open, the
 * report says it was not freed, and the last view's close frees it.
 *
 * <p>The count cannot be bypassed: {@link BlockView#block()} and {@link Heap#liveBlocks()} hand out
 * this shared block itself, and a free through any path is the counted free of {@link #free()}.
 * {@link Heap#freeLeaked()} frees a shared block whatever its count, unless views are open.
 *
 * <p>A shared block has no owning thread. {@link #segment()} uses a shared arena, created on first
 * use, whose close at free costs a thread handshake (tens of microseconds); borrow through
 * {@link #open()} on hot paths. {@link #detach()} does nothing. {@link #free()} is a release that
 * is refused with {@link BlockInUseException} unless the count is one; a reallocation is always
 * refused, with the same exception, since other holders would keep the old address.
 */
public sealed interface SharedBlock extends Block permits dev.custody.internal.SharedHandle {

    /**
     * Adds one to the count.
     *
     * @return this block
     * @throws UseAfterFreeException if the count already reached zero
     * @throws IllegalStateException if the count would overflow
     */
    SharedBlock retain();

    /**
     * Takes one from the count, and frees the block when it reaches zero.
     *
     * @return true if this call freed the block
     * @throws DoubleFreeException if the count already reached zero
     * @throws BlockInUseException if the count would reach zero while views are open; the count
     *     is then unchanged
     * @throws FreeFailedException if the count reached zero but the native free threw; the count
     *     is 1 again and the block live and counted
     * @throws dev.custody.debug.HeapCorruptionException on a debug heap, if the count reached zero
     *     and the block's canaries changed: the block is dead, and its memory withheld for good
     */
    boolean release();

    /**
     * The current count.
     *
     * @return the count; zero once freed
     */
    int refCount();
}
