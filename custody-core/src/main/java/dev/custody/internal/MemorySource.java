package dev.custody.internal;

import dev.custody.Tag;

/**
 * Where a heap's memory comes from, apart from custody: allocate, release and optionally
 * reallocate, plus the layout of what it hands out. It knows nothing of blocks, owners, books,
 * the registry or tracking; {@link AbstractHeap} makes, registers, tracks and books the blocks in
 * one place, over any source. A debug heap is a wrapper over its base's source, as LWJGL's {@code
 * DebugAllocator} wraps an allocator: the memory it takes for a block and its canaries is never a
 * block of the base's, so it is never registered, booked or tracked there.
 *
 * <p>The native heaps and slabs supply one. Regions do not (they carve their own blocks, see
 * {@link RegionHeap}); a debug heap over a region, or over another debug heap, takes its memory
 * as a block of its base made with {@link AbstractHeap#newBlock}, which is not registered or
 * tracked either.
 */
interface MemorySource {
    /**
     * Fresh memory of at least {@code size} bytes (0 asks for at least 1) aligned to {@code
     * alignment}, or 0 if the allocator returned NULL. The caller checked the size against {@link
     * #maxSize()}.
     */
    long allocate(long size, long alignment, Tag tag);

    /**
     * Gives back memory this source returned, of the size asked for and with the {@linkplain
     * #layout layout} of its alignment.
     */
    void release(long address, long size, int layout);

    /**
     * {@link BlockImpl#CUSTODY_LAYOUT} if memory of this alignment has an address of custody's own
     * (over-aligned by hand, carved from a pool), so that it must not be handed off or reallocated
     * by the allocator; 0 if it is the allocator's plain memory.
     */
    int layout(long alignment);

    /** The largest size the allocator can express. */
    long maxSize();

    /** Whether {@link #reallocate} is available for memory of layout 0. */
    default boolean canReallocate() {
        return false;
    }

    /**
     * Resizes memory of layout 0, in place or by moving; 0 if the allocator failed, and the old
     * memory then stays as it was.
     */
    default long reallocate(long address, long size, long newSize) {
        throw new UnsupportedOperationException("no realloc");
    }
}
