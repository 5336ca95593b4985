package dev.custody.internal;

import dev.custody.Block;
import dev.custody.BlockView;
import dev.custody.Heap;
import dev.custody.Tag;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A block's state: the memory, the owning thread and the life cycle.
 *
 * <p>Segments: the owner's segment lives in a confined arena made on the first {@link #segment()}
 * and closed by the owner when the block dies or is detached, which is what makes stale segments
 * throw (Law 3). Measured on 2 cores with Temurin 25: a confined arena costs about 20 ns to make
 * and close, a shared one about 68 µs to close, so ownership moves between threads instead of
 * every block paying for a shared arena.
 */
public sealed class BlockImpl implements Block permits SharedCore, AdoptedBlock, RegionBlock {
    // state >= 0: live, and the value is the number of open views.
    // state < 0: dead, and the value says how, or PENDING. A free or a reallocation takes the block
    // 0 -> PENDING with one CAS, then ends dead or, if the native call failed, live again; a hand-off
    // goes 0 -> HANDED_OFF at once. Whoever meets PENDING waits for the outcome, so of two racing
    // frees, or a free and a failing reallocation, exactly one wins (Law 10). Dead is terminal.
    static final int FREED = -1;
    static final int HANDED_OFF = -2;
    static final int REALLOCATED = -3;
    /** Transitional: a free or reallocation whose native call is running, and may still fail. */
    static final int PENDING = -4;

    static final int ADOPTED = 1;
    /** The address or layout is custody's own (over-aligned, pooled, guarded): no hand-off. */
    static final int CUSTODY_LAYOUT = 2;
    /** Adopted with a releaser ({@link AdoptedBlock}): the releaser gives the memory back. */
    static final int RELEASER = 4;

    private static final VarHandle STATE;
    private static final VarHandle OWNER;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(BlockImpl.class, "state", int.class);
            OWNER = MethodHandles.lookup().findVarHandle(BlockImpl.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final AbstractHeap heap;
    final long address;
    final long size;
    final Tag tag;
    final int flags;
    /**
     * Null when the block is not tracked. Set once, by the heap that made the block, before the
     * block is handed out ({@link AbstractHeap}'s one place that makes, registers, tracks and books
     * blocks): memory a debug heap takes from its base is never a block of the base's, so it is
     * never tracked, and no allocation event goes without its free.
     */
    History history;

    private volatile int state;
    /** The thread that owns the block; null while detached. */
    private volatile Thread owner;
    private volatile boolean notALeak;
    /**
     * The pool (region or slab) whose chunk this block is, or null: only that pool frees it, and it
     * is not its heap's leak. Set once the chunk is made, on the pool's thread, before the pool
     * carves anything in it.
     */
    volatile Chunks heldBy;

    /** Where a debug heap's block really lies (its canaries, the base's allocation); null otherwise. */
    DebugLayout layout;

    // Touched only by the owning thread (or under the block's lock for shared blocks).
    Arena arena;
    MemorySegment segment;

    /**
     * @param base the address the allocator returned, which no heap needs any more: a memory source
     *     finds its own (see {@link MemorySource}); kept in the signature for the regions, which
     *     make their blocks themselves
     */
    BlockImpl(AbstractHeap heap, long address, long base, long size, Tag tag, int flags, boolean shared) {
        this(heap, address, size, tag, flags);
        // A plain store: a volatile one would cost a full fence per block. Other threads reach the
        // block through the registry's lock or through the caller's own hand-over.
        OWNER.set(this, shared ? null : Thread.currentThread());
    }

    /**
     * A block whose owner field stays unset: a region's, whose owner is always the region's thread
     * ({@link RegionBlock#owner()}), so that making it stores nothing it does not need.
     */
    BlockImpl(AbstractHeap heap, long address, long size, Tag tag, int flags) {
        this.heap = heap;
        this.address = address;
        this.size = size;
        this.tag = tag;
        this.flags = flags;
    }

    /** How a settled state reads in messages; {@link #PENDING} is always waited out first. */
    static String death(int state) {
        return switch (state) {
            case FREED -> "freed";
            case HANDED_OFF -> "handed off";
            case REALLOCATED -> "reallocated";
            default -> "live";
        };
    }

    static String deathEvent(int state) {
        return switch (state) {
            case HANDED_OFF -> "handOff";
            case REALLOCATED -> "reallocate";
            default -> "free";
        };
    }

    boolean isShared() {
        return false;
    }

    /** What custody hands out for this block (views, {@code liveBlocks()}): the block itself. */
    Block exposed() {
        return this;
    }

    // ---- ownership -------------------------------------------------------------------------

    /** Makes the calling thread the owner, claiming a detached block or one whose owner died. */
    final void own(String op) {
        Thread me = Thread.currentThread();
        Thread o = owner;
        if (o == me || isShared()) {
            return;
        }
        long waitedSince = 0;
        while (true) {
            if (o == null) {
                if (OWNER.compareAndSet(this, null, me)) {
                    Tracker.record(this, "claim");
                    return;
                }
            } else if (!o.isAlive()) {
                // The dead owner's confined arena can be closed by no one, and reached by no one.
                if (OWNER.compareAndSet(this, o, me)) {
                    arena = null;
                    segment = null;
                    Tracker.record(this, "claim");
                    return;
                }
            } else {
                int s = state;
                if (s < 0 && s != PENDING) {
                    throw Errors.dead(this, s, op);
                }
                // The owner may have claimed the block a moment ago to free it: a racing free then
                // deserves a double free, not a wrong thread. Misuse path only; waits at most 10 ms.
                long now = System.nanoTime();
                if (waitedSince == 0) {
                    waitedSince = now;
                } else if (now - waitedSince > 10_000_000L) {
                    throw Errors.notOwner(this, o, op);
                }
                Thread.yield();
            }
            o = owner;
            if (o == me) {
                return;
            }
        }
    }

    /**
     * The state once no free or reallocation is running: a racer waits for the outcome rather than
     * take a transitional state for one (a native free or realloc call: microseconds).
     */
    final int settled() {
        int s = state;
        while (s == PENDING) {
            Thread.onSpinWait();
            s = state;
        }
        return s;
    }

    /**
     * Moves a live block with no open views straight to a dead state (a hand-off, or a death that
     * gives no memory back), on behalf of the caller, who must be (or become) the owner. Exactly
     * one caller wins.
     */
    final void kill(int how, String op) {
        begin(op);
        end(how);
    }

    /**
     * Takes a live block with no open views for a free or a reallocation that may still fail
     * ({@link #PENDING}), on behalf of the caller, who must be (or become) the owner. Exactly one
     * caller wins; the owner's segment stays valid until {@link #end}.
     *
     * @return the owner before the call (null if detached), for {@link #undo}
     */
    final Thread begin(String op) {
        checkNotHeld(op);
        Thread before = owner;
        for (;;) {
            int s = settled();
            if (s < 0) {
                throw Errors.dead(this, s, op);
            }
            own(op);
            if (s > 0) {
                throw Errors.inUse(this, s, op);
            }
            if (STATE.compareAndSet(this, 0, PENDING)) {
                return before;
            }
        }
    }

    /**
     * Refuses any free, hand-off or reallocation of a pool's chunk but the pool's own.
     *
     * @throws dev.custody.WrongHeapException if the block is a chunk a pool holds
     */
    final void checkNotHeld(String op) {
        Chunks c = heldBy;
        if (c != null) {
            throw Errors.heldByPool(this, c.pool(), op);
        }
    }

    /** The free or reallocation went through: the block is dead, its segments with it. */
    final void end(int how) {
        Tracker.record(this, deathEvent(how));
        closeArena();
        STATE.setRelease(this, how);
    }

    /**
     * The native call of a {@link #begin} failed: the block lives again, with the owner it had (a
     * detached block is detached again), and is registered again in case a registry sweep dropped
     * it while it was pending. Its memory was never given back, so no other block holds the address.
     */
    final void undo(Thread before) {
        restoreOwner(before);
        STATE.setVolatile(this, 0);
        Registry.add(this);
    }

    /** Gives a live block back to the owner it had before this thread claimed it for a call that failed. */
    final void restoreOwner(Thread before) {
        Thread me = Thread.currentThread();
        if (owner == me && before != me) { // only what this thread claimed: never another's claim
            closeArena();
            owner = before;
        }
    }

    /** Whether a free or reallocation of this block is running. */
    final boolean pending() {
        return state == PENDING;
    }

    void closeArena() {
        Arena a = arena;
        if (a != null) {
            arena = null;
            segment = null;
            a.close();
        }
    }

    /** For the GC leak path: the block is unreachable, so only its state needs the CAS. */
    final boolean killUnreachable() {
        return STATE.compareAndSet(this, 0, FREED);
    }

    final int views() {
        return state;
    }

    boolean notALeak() {
        return notALeak;
    }

    final boolean notALeakField() {
        return notALeak;
    }

    final void setNotALeak() {
        notALeak = true;
    }

    @Override
    public final boolean isMarkedNotALeak() {
        return notALeak();
    }

    @Override
    public final dev.custody.Site allocationSite() {
        return history == null ? null : history.allocation();
    }

    /** This block as a leak report's line: heap, tag, size, address, and allocation site when tracked. */
    final dev.custody.Leak leak() {
        return new dev.custody.Leak(heap.name, tag, size, address, allocationSite());
    }

    // ---- Block -----------------------------------------------------------------------------

    @Override
    public MemorySegment segment() {
        int s = state;
        if (s < 0 && (s = settled()) < 0) {
            throw Errors.dead(this, s, "segment");
        }
        if (owner != Thread.currentThread()) {
            own("segment");
        }
        MemorySegment seg = segment;
        return seg != null ? seg : newSegment();
    }

    MemorySegment newSegment() {
        Arena a = Arena.ofConfined();
        MemorySegment seg = MemorySegment.ofAddress(address).reinterpret(size, a, null);
        arena = a;
        segment = seg;
        return seg;
    }

    @Override
    public BlockView open() {
        for (;;) {
            int s = settled();
            if (s < 0) {
                throw Errors.dead(this, s, "open");
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                break;
            }
        }
        return new View(this);
    }

    void closeView() {
        STATE.getAndAdd(this, -1);
    }

    @Override
    public void detach() {
        int s = settled();
        if (s < 0) {
            throw Errors.dead(this, s, "detach");
        }
        if (isShared()) {
            return;
        }
        own("detach");
        closeArena();
        Tracker.record(this, "detach");
        owner = null;
    }

    /** The owning thread, or null while detached. */
    public Thread owner() {
        return owner;
    }

    @Override
    public long address() {
        return address;
    }

    @Override
    public long byteSize() {
        return size;
    }

    @Override
    public Tag tag() {
        return tag;
    }

    @Override
    public Heap heap() {
        return heap;
    }

    @Override
    public boolean isLive() {
        return state >= 0;
    }

    @Override
    public void free() {
        heap.freeOwned(this, "free");
    }

    @Override
    public long handOff(Heap freer) {
        return heap.handOff(this, freer);
    }

    @Override
    public void markNotALeak() {
        notALeak = true;
    }

    @Override
    public String toString() {
        return Errors.describe(this) + " (" + death(Math.min(state, 0)) + ")";
    }

    /** A borrowed view: its own confined arena, on the borrowing thread. */
    public static final class View implements BlockView {
        private final BlockImpl block;
        private final Arena arena = Arena.ofConfined();
        private final MemorySegment segment;
        private boolean closed;

        View(BlockImpl block) {
            this.block = block;
            this.segment = MemorySegment.ofAddress(block.address).reinterpret(block.size, arena, null);
        }

        @Override
        public MemorySegment segment() {
            if (closed) {
                throw Errors.illegalState(block.heap.name, "view of " + Errors.describe(block) + " is closed");
            }
            return segment;
        }

        @Override
        public Block block() {
            return block.exposed();
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            arena.close(); // WrongThreadException on another thread, before anything changes
            closed = true;
            block.closeView();
        }
    }
}
