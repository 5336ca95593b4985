package dev.custody;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A source of off-heap memory that is the only one allowed to free what it hands out.
 *
 * <p>Every {@link Block} belongs to exactly one heap. The owner is the free function: two heaps
 * that free through the same native function are the same owner, and freeing a block through
 * either is correct. Freeing through any other heap throws {@link WrongHeapException} and leaves
 * the block live and intact.
 *
 * <p>All methods are safe to call from any thread. The blocks they return follow the thread
 * contract described in {@link Block}.
 *
 * <p>Sealed: custody's own heaps are the only implementations, so the laws cannot be bypassed by
 * a heap of someone else's. For a test double, or any allocator of your own, give {@link
 * Heaps#of(String, dev.custody.nativeheap.NativeAllocator)} a {@link
 * dev.custody.nativeheap.NativeAllocator}: the heap it makes has all of custody's checks and books.
 */
public sealed interface Heap extends AutoCloseable
        permits dev.custody.internal.AbstractHeap, dev.custody.scoped.Region, dev.custody.scoped.Slab,
        dev.custody.debug.DebugHeap {

    /**
     * A human-readable name, used in every message about this heap's blocks.
     *
     * @return the name, such as {@code "libc"} or {@code "mimalloc"}
     */
    String name();

    /**
     * Allocates {@code size} bytes with this thread's default tag ({@link Tags#current()}). The
     * memory is not zeroed.
     *
     * @param size the number of bytes, 0 or more
     * @return the new block, owned by the calling thread
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws AllocationFailedException if the allocator returns NULL, a limit would be passed, or
     *     the size is absurd (more than the allocator can express, or 2⁴⁶ B); the books are unchanged
     * @throws IllegalStateException if the heap or one of its ancestors is closed
     * @throws WrongThreadException on a region, from another thread than the region's; nothing changes
     * @throws UnsupportedOperationException if the heap's memory is allocated only by foreign code:
     *     a native plugin's heap (custody-ffi), or a {@link dev.custody.nativeheap.NativeAllocator}
     *     whose {@code allocate} throws it. Whatever an allocator throws reaches the caller, with the
     *     books unchanged
     */
    default Block allocate(long size) {
        return allocate(size, 1, Tags.current());
    }

    /**
     * As {@link #allocate(long)}, with an explicit tag; throws as it does.
     *
     * @param size the number of bytes, 0 or more
     * @param tag the tag the block is booked under
     * @return the new block, owned by the calling thread
     * @throws NullPointerException if {@code tag} is null
     */
    default Block allocate(long size, Tag tag) {
        return allocate(size, 1, tag);
    }

    /**
     * Allocates {@code size} bytes aligned to {@code alignment}, tagged {@code tag}. Alignments
     * up to 16 are the allocator's own; larger ones use the allocator's aligned entry point where
     * it has one, and otherwise over-allocate (such a block cannot be {@linkplain Block#handOff
     * handed off}).
     *
     * @param size the number of bytes, 0 or more
     * @param alignment the alignment of the block's address, a power of two
     * @param tag the tag the block is booked under
     * @return the new block, owned by the calling thread
     * @throws IllegalArgumentException if {@code size} is negative or {@code alignment} is not a
     *     power of two
     * @throws AllocationFailedException if the allocator returns NULL, a limit would be passed, or
     *     the size is absurd; on a slab, also for a size above its block size or an alignment above
     *     16; on a debug heap, for a size its base cannot hold with the canaries
     * @throws IllegalStateException if the heap or one of its ancestors is closed
     * @throws WrongThreadException as {@link #allocate(long)}
     * @throws UnsupportedOperationException as {@link #allocate(long)}
     * @throws NullPointerException if {@code tag} is null
     */
    Block allocate(long size, long alignment, Tag tag);

    /**
     * As {@link #allocate(long, Tag)}, with every byte zero; throws as {@link #allocate(long, long, Tag)}.
     *
     * @param size the number of bytes, 0 or more
     * @param tag the tag the block is booked under
     * @return the new block, zeroed, owned by the calling thread
     */
    Block allocateZeroed(long size, Tag tag);

    /**
     * Allocates a reference-counted block with a count of one.
     *
     * @param size the number of bytes, 0 or more
     * @param tag the tag the block is booked under
     * @return the new block; its last {@link SharedBlock#release()} frees it
     * @throws AllocationFailedException as {@link #allocate(long, long, Tag)}
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws IllegalStateException if the heap or one of its ancestors is closed
     * @throws UnsupportedOperationException on a region (its release, not a count, decides when its
     *     blocks die; nothing changes), and as {@link #allocate(long)}
     * @throws WrongThreadException as {@link #allocate(long)}
     */
    SharedBlock allocateShared(long size, Tag tag);

    /**
     * Resizes a block: the returned block holds the old contents (up to the smaller size), keeps
     * the tag, and the old block is dead. Segments of the old block throw on access, so pointers
     * kept across a growth are caught. The same thread contract as {@link Block#free()} applies.
     *
     * <p>Only the growth counts against limits: a 512 B block may grow to 600 B under a 1,024 B limit.
     *
     * @param block a live block of this heap
     * @param newSize the new size in bytes, 0 or more
     * @return the block that now holds the contents; {@code block} is dead
     * @throws IllegalArgumentException if {@code newSize} is negative
     * @throws WrongHeapException if the block does not belong to this heap; it stays live
     * @throws UseAfterFreeException if the block is dead; a reallocation racing a free waits for
     *     the free's outcome, so exactly one of the two wins
     * @throws BlockOwnershipException if another live thread owns the block
     * @throws BlockInUseException if views of the block are open, or it is reference counted
     * @throws AllocationFailedException if the new storage cannot be had (the allocator returned
     *     NULL, a limit would be passed, or the size is absurd); the old block is then unchanged and
     *     still live: its contents, its segment, its owner and the books are as before the call
     * @throws FreeFailedException if the new storage was had but the old block's free threw; the
     *     new storage went back, and the old block is still live
     * @throws WrongThreadException on a region, from another thread than the region's: checked
     *     first, so nothing changes, the block's owner included
     * @throws dev.custody.debug.HeapCorruptionException on a debug heap, if the block's canaries
     *     changed; the block stays live
     * @throws UnsupportedOperationException as {@link #allocate(long)}, when the new storage must
     *     be allocated
     */
    Block reallocate(Block block, long newSize);

    /**
     * Frees a block of this heap.
     *
     * @param block a live block of this heap, owned by the calling thread or detached
     * @throws WrongHeapException if the block belongs to another owner; the block stays live
     * @throws DoubleFreeException if the block was already freed
     * @throws UseAfterFreeException if the block was handed off or reallocated
     * @throws BlockOwnershipException if another thread owns the block
     * @throws BlockInUseException if views of the block are open, or it is reference counted
     *     with a count above 1; the block is unchanged
     * @throws WrongHeapException also if the block is a chunk or slab that a pool over this heap
     *     holds: only the pool gives it back
     * @throws FreeFailedException if the native free function (or the block's {@link Releaser})
     *     threw; the block stays live and counted in the books
     * @throws dev.custody.debug.HeapCorruptionException on a debug heap, if the block's canaries
     *     changed (an overrun or underrun): the block is dead and counted freed, and its memory is
     *     withheld from the allocator for good
     */
    void free(Block block);

    /**
     * Frees by raw address, as C code would. The address is checked against custody's registry
     * and never reaches the native allocator unless custody handed it out or adopted it.
     * Restricted: the caller's module must have native access.
     *
     * @param address the block's address, as native code holds it (its size is not used)
     * @throws UnknownBlockException if custody does not know the address, NULL included (unlike C's
     *     {@code free(NULL)}, which does nothing: a NULL offered for a free is a bug custody reports)
     * @throws WrongHeapException if the address is a live block of another owner
     * @throws IllegalCallerException if the caller's module has no native access
     * @throws DoubleFreeException on a debug heap, if the address is in its quarantine
     * @throws CustodyException as {@link #free(Block)} for the block at that address
     * @throws dev.custody.debug.HeapCorruptionException as {@link #free(Block)}
     */
    void free(MemorySegment address);

    /**
     * Takes custody of memory that a foreign library allocated and that this heap's free function
     * must free. The block is counted in the books from now on. Restricted: the caller's module
     * must have native access.
     *
     * @param address the start of the foreign memory
     * @param size its size in bytes
     * @param tag the tag the block is booked under
     * @return the block, in this heap's custody, owned by the calling thread
     * @throws IllegalArgumentException if the address is NULL (or -1) or the size negative
     * @throws AlreadyInCustodyException if the range starts at a live block of custody's, or lies
     *     inside one: that memory is custody's own, and its free would reach the wrong allocator
     * @throws IllegalStateException if the heap or one of its ancestors is closed
     * @throws IllegalCallerException if the caller's module has no native access
     */
    Block adopt(MemorySegment address, long size, Tag tag);

    /**
     * As {@link #adopt(MemorySegment, long, Tag)}, but the memory goes back through {@code
     * releaser} rather than this heap's free function: for foreign memory whose release needs more
     * than its address (a plugin's free function that takes the whole struct it returned). The
     * block is this heap's, for the owner check, the books and the leak report; it cannot be
     * {@linkplain Block#handOff handed off}, since only the releaser knows how to free it.
     *
     * @param address the start of the foreign memory
     * @param size its size in bytes
     * @param tag the tag the block is booked under
     * @param releaser what gives the memory back, once, when the block is freed
     * @return the block, in this heap's custody, owned by the calling thread
     * @throws NullPointerException if {@code releaser} is null
     * @throws IllegalArgumentException as {@link #adopt(MemorySegment, long, Tag)}
     * @throws AlreadyInCustodyException as {@link #adopt(MemorySegment, long, Tag)}
     * @throws IllegalStateException as {@link #adopt(MemorySegment, long, Tag)}
     * @throws IllegalCallerException as {@link #adopt(MemorySegment, long, Tag)}
     */
    Block adopt(MemorySegment address, long size, Tag tag, Releaser releaser);

    /**
     * The books: live bytes and blocks, peak, totals, per tag and in all.
     *
     * @return the books at this moment
     */
    HeapStats stats();

    /**
     * A sub-heap with its own books and a limit on its live bytes. Its blocks come from this
     * heap's allocator, so it is the same owner: freeing its blocks through this heap is correct,
     * and the books of both follow. Its allocations count in this heap's books too.
     *
     * @param name the child's name, for messages and the books
     * @param limitBytes the most bytes its blocks may hold live at once
     * @return the child heap; its {@link #close()} checks its own blocks
     * @throws IllegalArgumentException if {@code limitBytes} is negative
     */
    Heap child(String name, long limitBytes);

    /**
     * An {@link Arena} whose allocations are zeroed blocks of this heap (tagged with the thread's
     * default tag), owned by the thread that created the arena and confined to it, like
     * {@link Arena#ofConfined()}. jextract-generated code can allocate through it.
     *
     * <p>Each segment is its block's own: it dies with the block however the block dies (a raw
     * {@link #free(MemorySegment)}, a region's release, {@link #freeLeaked()}), so it never reads
     * freed memory; its scope is the block's, not {@link Arena#scope()}, which stays alive until the
     * arena closes. Closing the arena frees the blocks still live and skips those that died
     * otherwise. The arena's {@code allocate} throws as {@link #allocate(long, long, Tag)} does, and
     * {@link WrongThreadException} on another thread; its {@code close} throws
     * {@link WrongThreadException} on another thread (nothing is freed), {@link IllegalStateException}
     * if already closed, and {@link BlockInUseException} or {@link FreeFailedException} for a block
     * with open views or whose free threw (that block stays live; the others are freed).
     *
     * @return a new arena over this heap, confined to the calling thread
     */
    Arena asArena();

    /**
     * Sets how much this heap records about sites. Applies to blocks allocated afterwards; blocks
     * already tracked keep their history. Children, regions, slabs and debug heaps made over this
     * heap afterwards start with its setting.
     *
     * @param level the level: off, sampled or full
     * @param sampleEvery for {@link Tracking#SAMPLED}, the mean number of bytes allocated between
     *     two samples: the gaps are drawn from an exponential distribution of this mean (as JFR's
     *     allocation sampler does), so a block of {@code s} bytes is sampled with a chance of
     *     {@code 1 - exp(-s / sampleEvery)} whatever the sizes around it, and 1 samples every block;
     *     ignored for the other levels
     * @throws IllegalArgumentException if {@code sampleEvery} is below 1
     * @throws NullPointerException if {@code level} is null
     */
    void setTracking(Tracking level, int sampleEvery);

    /**
     * Sets {@code level} at its default: for {@link Tracking#SAMPLED}, a mean of {@value
     * Tracking#DEFAULT_SAMPLE_BYTES} bytes (512 KiB) between samples, cheap enough to stay on in
     * production; see {@link #setTracking(Tracking, int)}.
     *
     * @param level the level: off, sampled or full
     * @throws NullPointerException if {@code level} is null
     */
    void setTracking(Tracking level);

    /**
     * The current tracking level.
     *
     * @return the level set last; a child heap starts with its parent's level
     */
    Tracking tracking();

    /**
     * Where reports of reference-counted blocks found unreleased by the GC go; by default
     * {@link LeakListener#warning()}.
     *
     * @param listener the listener, called on the cleaner's thread
     * @throws NullPointerException if {@code listener} is null
     */
    void setLeakListener(LeakListener listener);

    /**
     * The live blocks of this heap (and of its children), for reports. Reads the books first: when
     * they show no live block, the answer costs nothing whatever else is live in the process.
     * A reference-counted block is listed as its {@link SharedBlock}. The chunks and slabs that a
     * pool over this heap (a region or slab) holds are not listed: they are the pool's, counted in
     * this heap's books under the pool's tag ({@code region-chunks}, {@code slabs}), freed only by
     * the pool, and no leak of this heap's. The blocks carved in those chunks are listed by the
     * pool itself. A region lists its own blocks as objects made from its records: each is
     * {@code equals} to the object {@code allocate} returned and shares its state, and on another
     * thread than the region's the list is exact only while the region's thread does nothing.
     *
     * @return the live blocks at this moment, a copy
     */
    java.util.List<Block> liveBlocks();

    /**
     * Checks that no block is live, except those marked {@link Block#markNotALeak()}. A root
     * native heap stays usable afterwards (the process allocator cannot close); a child heap is
     * closed and refuses further allocations, and so do its descendants. A close racing an
     * allocation on a descendant has one winner. Reads the books first: an empty heap's close costs
     * the same whatever else is live in the process.
     *
     * @throws LeakException if blocks are live; nothing is freed and the heap stays open
     * @throws IllegalStateException if a closable heap is already closed or closing
     */
    @Override
    void close();

    /**
     * The explicit way out of a leak: frees every live block of this heap that is detached or
     * owned by the calling thread or a dead thread, and returns how many it freed. Not called by
     * {@link #close()}, which never frees silently. Blocks with open views, blocks owned by another
     * live thread and pools' chunks (see {@link #liveBlocks()}) are left alone; a reference-counted
     * block without views is freed whatever its count. Segments of the freed blocks, {@link
     * #asArena()}'s included, throw afterwards.
     *
     * @return how many blocks it freed
     * @throws WrongThreadException on a region, if called from a thread other than the region's;
     *     nothing is freed
     */
    int freeLeaked();
}
