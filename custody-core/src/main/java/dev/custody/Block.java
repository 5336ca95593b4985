package dev.custody;

import java.lang.foreign.MemorySegment;

/**
 * A piece of off-heap memory, in the custody of exactly one {@link Heap}.
 *
 * <h2>Thread contract</h2>
 * A block belongs to one thread at a time: the thread that allocated it, or the one that last
 * claimed it.
 * <ul>
 *   <li>{@link #segment()} and {@link #free()} work on the owning thread. The segment lives in a
 *       confined arena created lazily on the first {@code segment()} call, so a block that is
 *       never read from Java costs no arena at all.</li>
 *   <li>{@link #detach()} lets go: the owner's segment is invalidated at once. The next thread to
 *       call {@code segment()} claims the block. Any thread may free a detached block.</li>
 *   <li>Other threads borrow through {@link #open()}: a view is a confined arena of the borrowing
 *       thread. A free while views are open is refused with {@link BlockInUseException}.</li>
 *   <li>A block whose owning thread has ended may be claimed by any thread.</li>
 * </ul>
 * Misuse throws {@link BlockOwnershipException}, naming the owner and the caller.
 *
 * <p>Measured cost (2 cores, Temurin 25): the first {@code segment()} of a block adds about
 * 12 ns (a confined arena made, and closed at the free); later calls about 2 ns; a detach and
 * reclaim about 18 ns; opening and closing a view about 5 ns. A shared arena per block was
 * rejected: its close costs about 68 µs.
 *
 * <p>Law 3: once a block is freed, handed off, reallocated or detached, every segment handed
 * out for it throws {@link IllegalStateException} on access; it never returns stale bytes.
 *
 * <p>Sealed, like {@link Heap}: every block is made by a custody heap.
 */
public sealed interface Block permits dev.custody.internal.BlockImpl, SharedBlock {

    /**
     * The block's memory, valid on the owning thread until the block is freed, handed off,
     * reallocated or detached. Claims the block if it is detached.
     *
     * @return the segment over the block's bytes, confined to the owning thread
     * @throws UseAfterFreeException if the block is dead
     * @throws BlockOwnershipException if another live thread owns the block
     */
    MemorySegment segment();

    /**
     * Borrows the block from any thread. The view's segment is valid until the view closes; the
     * view must be closed on the thread that opened it.
     *
     * @return a new view, to be closed on this thread
     * @throws UseAfterFreeException if the block is dead (an open racing a free waits for its
     *     outcome)
     * @throws IllegalStateException if the block is reference counted and the count would overflow
     */
    BlockView open();

    /**
     * Lets go of the block: the owner's segment is invalidated now, and the next thread to call
     * {@link #segment()} (or {@link #free()}) claims it.
     *
     * @throws UseAfterFreeException if the block is dead
     * @throws BlockOwnershipException if another live thread owns the block
     */
    void detach();

    /**
     * The native address. Valid as long as the block is live.
     *
     * @return the address of the block's first byte
     */
    long address();

    /**
     * The size in bytes, as asked for.
     *
     * @return the size
     */
    long byteSize();

    /**
     * The tag the block is booked under.
     *
     * @return the tag given at its allocation
     */
    Tag tag();

    /**
     * The heap that owns the block and must free it.
     *
     * @return the owning heap
     */
    Heap heap();

    /**
     * Whether the block is live.
     *
     * @return true until the block is freed, handed off or reallocated
     */
    boolean isLive();

    /**
     * Frees the block on its owning heap. In a region the free only updates the books; the memory
     * returns at the region's release.
     *
     * @throws DoubleFreeException if the block was already freed
     * @throws UseAfterFreeException if it was handed off or reallocated
     * @throws BlockOwnershipException if another live thread owns the block (a racing free by that
     *     thread is waited for, up to 10 ms, and then reported as a double free)
     * @throws BlockInUseException if views are open, or it is reference counted with a count
     *     above 1 ({@link SharedBlock#release()} is the counted way); the block is unchanged
     * @throws FreeFailedException if the native free function (or the block's {@link Releaser})
     *     threw; the block stays live, owned as before and counted
     * @throws dev.custody.debug.HeapCorruptionException on a debug heap, if the block's canaries
     *     changed (an overrun or underrun): the free has happened, the block is dead and counted
     *     freed, and its memory is withheld from the allocator for good
     */
    void free();

    /**
     * Passes the block to native code that will free it through {@code freer}. Checked now: if
     * {@code freer} is not this block's owner, {@link WrongHeapException} is thrown and the block
     * stays live. Afterwards the block is dead to Java (no access, no free) and counted as handed
     * off in the books.
     *
     * @param freer the heap whose free function the native code will call
     * @return the native address, for the native code
     * @throws WrongHeapException if {@code freer} is not the owner; its message says "handed off
     *     to" and names both heaps
     * @throws IllegalHandOffException if the block's address or layout is custody's own
     *     (over-aligned, guarded, canaried or carved from a pool), it is reference counted, or it
     *     was adopted with a {@link Releaser}
     * @throws UseAfterFreeException if the block is dead
     * @throws BlockOwnershipException if another live thread owns the block
     * @throws BlockInUseException if views are open
     */
    long handOff(Heap freer);

    /** Leaves this block out of leak reports and {@link Heap#close()}'s check. */
    void markNotALeak();

    /**
     * Whether {@link #markNotALeak()} was called on this block.
     *
     * @return true once it was
     */
    boolean isMarkedNotALeak();

    /**
     * Where this block was allocated, or null when its heap did not track it: tracking was
     * {@link Tracking#OFF}, or {@link Tracking#SAMPLED} passed it over (see {@link
     * Heap#setTracking} and the {@code custody.tracking} switch). Readable in any state, from any
     * thread.
     *
     * @return the allocation site, or null
     */
    Site allocationSite();
}
