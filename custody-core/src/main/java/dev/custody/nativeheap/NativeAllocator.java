package dev.custody.nativeheap;

import dev.custody.Tag;

/**
 * The native functions behind a heap: the service provider interface for heaps whose memory comes
 * from, and must go back to, a particular allocator. {@link dev.custody.Heaps#of(String,
 * NativeAllocator)} turns one into a {@link dev.custody.Heap} with all of custody's checks and
 * books.
 *
 * <p>Implementations are called with custody's checks already done: {@link #free(long)} only ever
 * receives an address that this allocator returned (or that was adopted into its heap), exactly
 * once. They must be safe to call from any thread.
 */
public interface NativeAllocator {

    /**
     * Allocates {@code size} bytes, at least 16-aligned where the allocator guarantees it.
     *
     * @param size the number of bytes
     * @param tag the tag the block will be booked under, for allocators that keep their own books
     * @return the address, or 0 if the allocator returned NULL
     * @throws UnsupportedOperationException if this allocator only frees (memory comes to it by
     *     adoption)
     */
    long allocate(long size, Tag tag);

    /**
     * Frees an address this allocator handed out or that was adopted into its heap.
     *
     * @param address the block's address
     * @throws RuntimeException if the free failed; custody then keeps the block live and counted,
     *     and throws {@link dev.custody.FreeFailedException} with this as its cause
     */
    void free(long address);

    /**
     * As {@link #free(long)}, knowing the block's size: an allocator may free a large block
     * differently (libc's heap frees blocks of 131072 B (128 KiB) or more through a
     * non-critical downcall, since that free is an {@code munmap} that would hold up safepoints).
     *
     * @param address the block's address
     * @param size the block's size in bytes
     */
    default void free(long address, long size) {
        free(address);
    }

    /**
     * The identity of the free function: two allocators with equal identities free through the
     * same function and so are the same owner. Typically the free symbol's address.
     *
     * @return the identity, compared with {@code equals}
     */
    Object freeIdentity();

    /**
     * The largest size the allocate function can express (for an {@code int}-sized one, 2³¹−1).
     *
     * @return the size in bytes
     */
    default long maxSize() {
        return Long.MAX_VALUE;
    }

    /**
     * The alignment every allocation is guaranteed to have.
     *
     * @return the alignment in bytes, a power of two
     */
    default long naturalAlignment() {
        return 16;
    }

    /**
     * Whether {@link #allocateAligned} is available.
     *
     * @return true if it is
     */
    default boolean canAllocateAligned() {
        return false;
    }

    /**
     * Allocates with an alignment larger than the natural one.
     *
     * @param size the number of bytes
     * @param alignment the alignment, a power of two
     * @param tag the tag the block will be booked under
     * @return the address, or 0 on failure
     */
    default long allocateAligned(long size, long alignment, Tag tag) {
        throw new UnsupportedOperationException("no aligned allocate");
    }

    /**
     * Whether {@link #reallocate} is available.
     *
     * @return true if it is
     */
    default boolean canReallocate() {
        return false;
    }

    /**
     * Resizes in the realloc manner.
     *
     * @param address the block's address
     * @param newSize the new size in bytes
     * @return the new address, or 0 on failure (the old address then stays valid)
     */
    default long reallocate(long address, long newSize) {
        throw new UnsupportedOperationException("no reallocate");
    }

    /**
     * As {@link #reallocate(long, long)}, knowing the old size (see {@link #free(long, long)}).
     *
     * @param address the block's address
     * @param oldSize its size in bytes
     * @param newSize the new size in bytes
     * @return the new address, or 0 on failure (the old address then stays valid)
     */
    default long reallocate(long address, long oldSize, long newSize) {
        return reallocate(address, newSize);
    }

    /**
     * Whether {@link #allocate} is available at all.
     *
     * @return false for an allocator that only frees
     */
    default boolean canAllocate() {
        return true;
    }

    /**
     * The usable size of an allocation, or -1 when the allocator cannot tell.
     *
     * @param address the block's address
     * @return the usable size in bytes, or -1
     */
    default long usableSize(long address) {
        return -1;
    }
}
