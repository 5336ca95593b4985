package dev.custody.scoped;

import dev.custody.Heap;

/**
 * A heap of fixed-size blocks, carved from slabs allocated on a parent heap, with a free list: a
 * freed block's slot is reused by the next allocation. Made by {@link dev.custody.Heaps#slab}.
 *
 * <p>The laws hold as on any heap: the slab is its own owner (freeing its blocks through any other
 * heap throws {@link dev.custody.WrongHeapException}), a second free is a
 * {@link dev.custody.DoubleFreeException} and never reaches the free list twice, segments of a freed
 * block throw even after its slot was reused, and {@link dev.custody.Block#handOff} is refused. A
 * request larger than {@link #blockSize()}, or aligned beyond 16 bytes, fails with
 * {@link dev.custody.AllocationFailedException}. The books count the requested sizes.
 *
 * <p>Safe to use from any thread; blocks follow the thread contract of {@link dev.custody.Block}.
 * {@link #close()} checks for leaks, then gives every slab back to the parent; live blocks marked
 * {@link dev.custody.Block#markNotALeak()} keep the slabs (never given back), so that their segments
 * never point at freed memory.
 */
public sealed interface Slab extends Heap permits dev.custody.internal.SlabHeap {
    /**
     * The largest block this slab hands out; every slot has this size (rounded up to 16).
     *
     * @return the block size in bytes
     */
    long blockSize();

    /**
     * How many slabs are allocated on the parent.
     *
     * @return the count
     */
    int slabs();

    /**
     * The bytes held on the parent: {@link #slabs()} times the slab size.
     *
     * @return the bytes held
     */
    long heldBytes();
}
