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
 * {@link WrongHeapException}, and so does a raw-address free through any other heap of any address
 * inside the region's memory (its chunks, or its reservation), naming the region; nothing reaches a
 * native {@code free}. Through the region itself, {@link #free(java.lang.foreign.MemorySegment)} of a
 * block's start address frees that block, and any other address throws
 * {@link dev.custody.UnknownBlockException}. Region blocks are carved from custody's own memory, so
 * {@link Block#handOff} refuses them ({@link dev.custody.IllegalHandOffException}): native code cannot
 * free an interior pointer. Every block is aligned to at least 16 bytes; larger alignments are
 * honoured within the chunk. Reference-counted blocks are refused ({@link UnsupportedOperationException}):
 * the release, not a count, decides when region blocks die.
 *
 * <p><b>Law 3 in a region: the unit of freeing is the release.</b> A region's blocks are slices of
 * one confined arena per generation (the memory carved since the last release), carved by a bump
 * pointer, and {@link #release()} closes that arena: every segment of the generation dies at once,
 * the JDK's own arena semantics. {@link #free(Block)} of a single block is accepted and kills the
 * block for custody's methods ({@code segment()}, {@code open()}, a second free is a
 * {@link dev.custody.DoubleFreeException}) and for the books, at once. Its memory is never reused
 * before the release, so a segment of it obtained before the free still works until the release
 * and sees only that block's own bytes, never another block's; {@link
 * dev.custody.debug.DebugHeaps#poisoning} over a region catches a write to a single-freed block, at
 * the release. Code written against {@link Heap} works unchanged on a region. A reallocation or a
 * {@link #transfer} kills the old block the same way.
 *
 * <p><b>Books.</b> A region keeps its books in plain fields, written only by its thread with opaque
 * stores: exact on the region's thread and after {@link #release()}, never torn when a snapshot,
 * JMX or {@code assertNothingOutstanding()} reads them on another thread, and exact there at
 * quiescence. Blocks of heaps stacked over the region (a debug heap, a child, {@link #asArena()})
 * are booked as on any heap, and the region's figures are the sum of both.
 *
 * <p><b>Cost.</b> Each block costs one {@link Block} object, one slice (made on each
 * {@link Block#segment()} call), one entry of 24 B in the region's primitive arrays and plain-field
 * books: no registry entry, no {@code ThreadLocal}, map or atomic per block, and the region keeps no
 * object per block, so a block the caller drops is garbage at once, or never allocated once the JIT
 * has inlined the allocation (0 B per block under JMH's {@code gc} profiler). Measured on 2 quiet
 * cores (load 1.2-1.6) with Temurin 25 ({@code RegionBenchmark} in custody-bench: 10^5 blocks of
 * 64 B, each written and read back through its segment, then released; CPU time per block, two
 * rounds pooled): 15.3 ns for a region (224 ns before issue 12) and 66 ns for a flat region, against
 * 2.9 ns for {@code SegmentAllocator.slicingAllocator} over one confined arena, 53 ns for raw FFM
 * {@code malloc}/{@code free} one by one and 136 ns for one {@code Arena.ofConfined()} with 10^5
 * allocations. The targets (2x the slicing allocator, 5x faster than raw malloc) are missed (5.2x,
 * and 3.5x faster): the entry's stores cost about 3 ns, the books 1.4 ns, and the checks that the
 * laws need (thread, liveness, bounds) the rest; a flat region's release drops its pages by
 * contract, so each level faults them in again. See {@code custody-bench/RESULTS.md}.
 *
 * <p><b>Threads.</b> A region and its blocks are confined to the region's thread, since the blocks
 * are slices of its confined arena. Every region operation from another thread (allocating,
 * reallocating, freeing, {@link #release()}, {@link #transfer}, adopting, {@link #freeLeaked()},
 * {@link #close()}) and every block operation ({@link Block#segment()}, {@link Block#open()},
 * {@link Block#detach()}, {@link Block#free()}, {@link Block#handOff}, {@link Block#markNotALeak()}) throws
 * {@link WrongThreadException} and changes nothing, ownership included; a block's segment refuses
 * other threads itself. {@link Block#detach()} on the region's thread checks and keeps the block
 * with that thread, its only possible owner. Queries ({@link #stats()}, {@link #liveBlocks()},
 * {@link Block#isLive()}) may be made from any thread. {@link #release()} refuses while any live
 * block has open views, because freeing the memory under a view would let it read freed memory.
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
     * @throws BlockOwnershipException if a live block of a heap stacked over the region (a debug
     *     heap, a child) is owned by another live thread; nothing is released
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
     * calling thread. The region's books record a free, the target's an allocation. The old
     * block's memory, as after a single free, waits for the release.
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
