package dev.custody;

/**
 * Adopts foreign memory into one heap, as {@link Heap#adopt} does, for a caller whose native
 * access was checked once, when {@link Heaps#adopter(Heap)} made this. A capability: whoever
 * holds it may adopt.
 */
@FunctionalInterface
public interface Adopter {
    /**
     * Takes custody of memory that a foreign library allocated and that the heap's free function
     * must free, as {@link Heap#adopt(java.lang.foreign.MemorySegment, long, Tag)}.
     *
     * @throws IllegalArgumentException if the address is 0 or the size negative
     * @throws CustodyException if the address is already a live block of custody's
     * @throws IllegalStateException if the heap is closed
     */
    Block adopt(long address, long size, Tag tag);
}
