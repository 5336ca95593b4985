package dev.custody;

/**
 * Adopts foreign memory into one heap, as {@link Heap#adopt} does, for a caller whose native
 * access was checked once, when {@link Heaps#adopter(Heap)} made this. A capability: whoever
 * holds it may adopt.
 */
public interface Adopter {
    /**
     * Takes custody of memory that a foreign library allocated and that the heap's free function
     * must free, as {@link Heap#adopt(java.lang.foreign.MemorySegment, long, Tag)}.
     *
     * @param address the start of the foreign memory
     * @param size its size in bytes
     * @param tag the tag the block is booked under
     * @return the block, in the heap's custody, owned by the calling thread
     * @throws IllegalArgumentException if the address is 0 or -1, or the size negative
     * @throws AlreadyInCustodyException if the range starts at, or lies inside, a live block of
     *     custody's
     * @throws IllegalStateException if the heap or one of its ancestors is closed
     */
    Block adopt(long address, long size, Tag tag);

    /**
     * As {@link #adopt(long, long, Tag)}, with the memory given back by {@code releaser} instead
     * of the heap's free function, as {@link Heap#adopt(java.lang.foreign.MemorySegment, long, Tag,
     * Releaser)}.
     *
     * @param address the start of the foreign memory
     * @param size its size in bytes
     * @param tag the tag the block is booked under
     * @param releaser what gives the memory back, once, when the block is freed
     * @return the block, in the heap's custody, owned by the calling thread
     * @throws NullPointerException if {@code releaser} is null
     */
    Block adopt(long address, long size, Tag tag, Releaser releaser);
}
