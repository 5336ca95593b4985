package dev.custody.internal;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Tag;
import dev.custody.scoped.Region;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Objects;

/**
 * What both regions share: bump carving into memory the subclass supplies, the thread confinement,
 * the release of everything at once, transfers out and the per-release peak. See {@link Region}
 * for the contract.
 */
public abstract sealed class RegionHeap extends AbstractHeap implements Region permits ChunkedRegion, FlatRegion {
    /** Every block is aligned at least like malloc's, so typed access to its segment works. */
    static final long MIN_ALIGN = 16;

    private final Thread thread = Thread.currentThread();
    /** Blocks carved since the last release, dead ones included; only the region's thread touches it. */
    private final ArrayList<BlockImpl> carved = new ArrayList<>();
    private volatile long levelPeak;

    RegionHeap(String name) {
        super(name, null, Long.MAX_VALUE, true);
    }

    /**
     * An address for {@code bytes} (a multiple of 16) aligned to {@code alignment} (at least 16), on
     * the region's thread.
     *
     * @throws dev.custody.AllocationFailedException if the memory cannot be had
     */
    abstract long carve(long bytes, long alignment, Tag tag, long size);

    /** Gives all the memory back; the region may carve again afterwards. */
    abstract void giveBack();

    /** Gives all the memory back for good, at close. */
    abstract void giveBackForGood();

    /** At a close that leaves live blocks (marked not a leak): their memory stays, for good. */
    abstract void keepForGood();

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) & -alignment;
    }

    @Override
    final BlockImpl newBlock(AbstractHeap home, long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        confined("allocate");
        if (shared) {
            throw Errors.countedOnRegion(name, name);
        }
        long address = carve(alignUp(Math.max(size, 1), MIN_ALIGN), Math.max(alignment, MIN_ALIGN), tag, size);
        if (zeroed) {
            MemorySegment.ofAddress(address).reinterpret(size).fill((byte) 0);
        }
        BlockImpl b = new BlockImpl(home, address, address, size, tag, BlockImpl.CUSTODY_LAYOUT, false);
        carved.add(b);
        long live = total.liveBytes(); // this block's bytes are already reserved
        if (live > levelPeak) {
            levelPeak = live;
        }
        return b;
    }

    @Override
    final boolean countable() {
        return false;
    }

    @Override
    final void admit(String op) {
        confined(op);
    }

    /**
     * The release kills the debug heap's block, not the memory it was carved in; a guarded block
     * over this region (in a mapping of its own) dies at the release too.
     */
    @Override
    final void carvedFor(BlockImpl inner, BlockImpl outer) {
        if (inner == null) {
            carved.add(outer);
            return;
        }
        int last = carved.size() - 1;
        if (last >= 0 && carved.get(last) == inner) {
            carved.set(last, outer);
        }
    }

    @Override
    final void wrappedBy(DebugHeapImpl debug, boolean made) {
        keepWrapper(debug, made);
    }

    /** A single free only updates the books: the memory returns at {@link #release()}. */
    @Override
    final void release(BlockImpl b) {
    }

    @Override
    public final Object ownerKey() {
        return this;
    }

    @Override
    public final int release() {
        confined("release");
        if (closed) {
            throw Errors.closed(name, name, "release");
        }
        int killed = killAll("release");
        disposeWrappers();
        giveBack();
        levelPeak = 0;
        return killed;
    }

    /**
     * Kills every live carved block, after checking that none is in use (views, another live
     * owner), so that a refusal changes nothing. A view opened between the check and the kill makes
     * the kill throw: the memory then stays, and a later release finishes.
     */
    private int killAll(String op) {
        for (BlockImpl b : carved) {
            checkKillable(b, op);
        }
        int n = 0;
        for (BlockImpl b : carved) {
            if (b.isLive()) {
                b.heap.freeOwned(b, op);
                n++;
            }
        }
        carved.clear();
        return n;
    }

    /** Refuses, before anything changes, a kill that would fail: open views, another live owner. */
    private static void checkKillable(BlockImpl b, String op) {
        if (b.isLive()) {
            b.checkNotHeld(op); // a chunk of a pool over this region
        }
        int s = b.views();
        if (s > 0) {
            throw Errors.inUse(b, s, op);
        }
        Thread o = b.owner();
        if (s == 0 && o != null && o != Thread.currentThread() && o.isAlive()) {
            throw Errors.notOwner(b, o, op);
        }
    }

    @Override
    public final Block transfer(Block block, Heap target) {
        confined("transfer");
        BlockImpl b = cast(block);
        Objects.requireNonNull(target, "target");
        if (!sameOwner(b.heap)) {
            throw Errors.wrongHeap(b, name, "transfer");
        }
        if (target == this) {
            throw Errors.illegalArgument(name, "transfer of a block of region '" + name + "' into itself");
        }
        int s = b.views();
        if (s < 0) {
            throw Errors.dead(b, s, "transfer");
        }
        checkKillable(b, "transfer");
        Block moved = target.allocate(b.size, b.tag);
        MemorySegment.copy(MemorySegment.ofAddress(b.address).reinterpret(b.size), 0,
                MemorySegment.ofAddress(moved.address()).reinterpret(b.size), 0, b.size);
        try {
            b.heap.freeOwned(b, "transfer");
        } catch (RuntimeException e) {
            moved.free();
            throw e;
        }
        return moved;
    }

    /** Confined first: from another thread nothing is touched, the block's owner included. */
    @Override
    public final Block reallocate(Block block, long newSize) {
        confined("reallocate");
        return super.reallocate(block, newSize);
    }

    @Override
    public final int freeLeaked() {
        confined("freeLeaked");
        return super.freeLeaked();
    }

    @Override
    public final long peakBytes() {
        return levelPeak;
    }

    @Override
    public final Thread owner() {
        return thread;
    }

    @Override
    public final void close() {
        confined("close");
        super.close();
    }

    /**
     * After the leak check. Blocks marked not-a-leak may still be live: their memory is then kept
     * for good, since giving it back would leave their segments over freed memory.
     */
    @Override
    final void onClose() {
        disposeWrappers();
        if (stats().total().liveBlocks() == 0) {
            giveBackForGood();
        } else {
            keepForGood();
        }
        carved.clear();
        super.onClose();
    }

    @Override
    long maxSize() {
        return ABSURD;
    }

    final void confined(String op) {
        Thread me = Thread.currentThread();
        if (me != thread) {
            throw Errors.wrongThread(name, op + " on region '" + name + "' from thread '" + me.getName()
                    + "': the region is confined to thread '" + thread.getName() + "'. Nothing changed.");
        }
    }
}
