package dev.custody.scoped;

import dev.custody.Block;
import dev.custody.BlockInUseException;
import dev.custody.BlockOwnershipException;
import dev.custody.Heap;
import dev.custody.UseAfterFreeException;
import dev.custody.WrongHeapException;

/**
 * A pool whose blocks are carved from larger pieces of memory and given back all at once by
 * {@link #release()}: the seed's per-level pool, released in one call instead of a cascade of
 * frees. Made by {@link dev.custody.Heaps#region} (chunks from a parent heap) and
 * {@link dev.custody.Heaps#flatRegion} (one reserved range of address space that never moves).
 *
 * <p>The laws hold as on any heap. A region is its own owner: freeing one of its blocks through
 * any other heap (libc included, whose {@code free} of an interior pointer would crash) throws
 * {@link WrongHeapException}. {@link #free(Block)} of a single block is accepted and recorded in the
 * books, and the block is dead at once (its segments throw, a second free is a
 * {@link dev.custody.DoubleFreeException}), but its memory returns only at {@link #release()}: code
 * written against {@link Heap} works unchanged on a region. Region blocks are carved from custody's
 * own memory, so {@link Block#handOff} refuses them ({@link dev.custody.IllegalHandOffException}):
 * native code cannot free an interior pointer. Every block is aligned to at least 16 bytes; larger
 * alignments are honoured within the chunk. Reference-counted blocks are refused
 * ({@link UnsupportedOperationException}): the release, not a count, decides when region blocks die.
 *
 * <p><b>Cost.</b> Measured on 2 cores with Temurin 25 ({@code RegionBenchmark} in custody-bench: 10^5
 * blocks of 32 B allocated, each written and read through its segment, then released): about 260 ns
 * a block for a region and 216 ns for a flat region, against 272 ns for the same blocks freed one by
 * one on custody's libc heap and 37 ns with raw FFM {@code malloc}/{@code free}. A region saves the
 * native frees, not custody's per-block work, which the release still does block by block: the
 * registry entry, the books, and closing each block's confined arena so that its segments throw.
 *
 * <p><b>Threads.</b> A region is confined to the thread that made it: allocating, reallocating,
 * {@link #release()}, {@link #transfer}, and {@link #close()} on any other thread throw
 * {@link WrongThreadException} and change nothing. Its blocks follow the ordinary thread contract of
 * {@link Block}: they may be detached, claimed or borrowed through views by other threads, and freed
 * there (the free only updates the books). {@link #release()} refuses while any live block has open
 * views or is owned by another live thread, because freeing the memory under a view would let it read
 * freed memory.
 */
public sealed interface Region extends Heap permits dev.custody.internal.RegionHeap {

    /**
     * Kills every block still live and gives all the memory back at once: the chunks to the parent
     * heap, or the committed pages to the operating system. Segments of the killed blocks throw
     * {@link IllegalStateException} on access, and custody's methods on them throw. The books record
     * each killed block as freed, so the region's live bytes are 0 afterwards. The region stays usable:
     * the next allocation starts afresh, and {@link #peakBytes()} starts again from 0.
     *
     * @return how many blocks were still live and were killed by the release
     * @throws WrongThreadException if called from a thread other than the region's
     * @throws BlockInUseException if a live block has open views; nothing is released
     * @throws BlockOwnershipException if a live block is owned by another live thread; nothing is
     *     released
     * @throws WrongHeapException if a live block is a chunk held by a pool made over this region
     *     (a region or slab whose parent it is): release or close that pool first; nothing is released
     * @throws IllegalStateException if the region is closed
     * @throws dev.custody.FreeFailedException if the parent's free function threw for a chunk; the
     *     blocks are dead, and that chunk and those not yet given back stay in the parent's books
     */
    int release();

    /**
     * Moves a block out of the region before a release: copies its bytes into a new block of
     * {@code target} (same size, same tag), kills the old block and returns the new one, owned by the
     * calling thread. The region's books record a free, the target's an allocation.
     *
     * @param block a live block of this region
     * @param target the heap the new block is allocated on
     * @return the new block, owned by the calling thread
     * @throws WrongHeapException if the block is not this region's; nothing changes
     * @throws UseAfterFreeException if the block is dead
     * @throws IllegalArgumentException if {@code target} is this region
     * @throws dev.custody.AllocationFailedException if the target cannot allocate; nothing changes
     * @throws BlockInUseException if the block has open views; nothing changes
     * @throws WrongThreadException if called from a thread other than the region's
     */
    Block transfer(Block block, Heap target);

    /**
     * The highest live bytes since the region was made or last released: the seed's per-level
     * memory budget. Counted when an allocation reserves its bytes, so during a
     * {@link #reallocate} the old and the new block both count (the old one's memory is held until
     * the release anyway). The lifetime peak of the books is in {@link #stats()}.
     *
     * @return the peak in bytes
     */
    long peakBytes();

    /**
     * The bytes the region holds now: its chunks on the parent, or its committed pages.
     *
     * @return the bytes held
     */
    long heldBytes();

    /**
     * The thread the region is confined to.
     *
     * @return the thread that made the region
     */
    Thread owner();

    /**
     * Checks for leaks, then gives all the memory back for good.
     *
     * <p>Blocks marked {@link Block#markNotALeak()} do not fail the close, and keep the region's memory:
     * it is then never given back, since that would leave their segments over freed memory.
     *
     * @throws dev.custody.LeakException if blocks are live (marked ones aside); nothing is freed and
     *     the region stays open. A release first is the explicit way to drop them.
     * @throws WrongThreadException if called from a thread other than the region's
     */
    @Override
    void close();
}
