package dev.custody.internal;

import dev.custody.Block;
import dev.custody.CustodyException;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.HeapStats;
import dev.custody.Tag;
import dev.custody.scoped.Region;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What both regions share: bump carving into memory the subclass supplies, the thread confinement,
 * the release of everything at once, transfers out and the per-release peak. See {@link Region}
 * for the contract.
 *
 * <p>The region's own blocks ({@link RegionBlock}) cost what the laws need and no more: a block
 * object, an entry in primitive arrays ({@link RegionLog}) and plain-field books, on the region's
 * thread. They are slices of one confined arena per generation (the memory carved between two
 * releases), so the release closes that arena and every segment of the generation dies at once;
 * they are in no registry entry (the registry knows the region's address ranges instead, for Law
 * 4), and the region keeps no object of theirs, so a block the caller drops costs the GC nothing.
 *
 * <p>Heaps stacked over the region (a debug heap, a child) and the generic path ({@link #asArena()})
 * carve through {@link #newBlock} instead: their blocks are ordinary registered blocks, booked in
 * this heap's ledgers by the stacked heap's own path, and killed one by one at the release. The
 * region's figures are the sum of both books.
 */
public abstract sealed class RegionHeap extends AbstractHeap implements Region permits ChunkedRegion, FlatRegion {
    /** Every block is aligned at least like malloc's, so typed access to its segment works. */
    static final long MIN_ALIGN = 16;

    private final Thread thread = Thread.currentThread();
    /** Blocks carved by {@link #newBlock} since the last release, dead ones included. */
    private final ArrayList<BlockImpl> stacked = new ArrayList<>();
    /** The books of the region's own blocks: the total, and one line per tag (indexed by id). */
    private final RegionBooks books = new RegionBooks();
    private volatile RegionBooks[] tagBooks = new RegionBooks[16];
    private Tag lastTag;
    private RegionBooks lastBooks;
    /** Ends at each release: a block of an earlier generation is dead. */
    private volatile int generation;
    /** The generation's confined arena, made at its first carve; null before. */
    private Arena arena;
    /** The segment (in {@link #arena}) that the last {@link #carve} carved in; set by the subclass. */
    MemorySegment carvedIn;
    /** The generation's own blocks; their {@link RegionBlock}s read and write their entries here. */
    final RegionLog log = new RegionLog();
    private int openViews;
    /** Own blocks that are chunks of a pool made over this region. */
    private int heldChunks;

    /** The largest request: the reservation of a flat region, what a block can express for a chunked one. */
    private final long largest;

    RegionHeap(String name, long largest) {
        super(name, null, Long.MAX_VALUE, true);
        this.largest = Math.min(largest, ABSURD);
    }

    /**
     * An address for {@code bytes} (a multiple of 16) aligned to {@code alignment} (at least 16), on
     * the region's thread; sets {@link #carvedIn} to the segment, in {@link #arena()}, that holds it.
     *
     * @throws dev.custody.AllocationFailedException if the memory cannot be had
     */
    abstract long carve(long bytes, long alignment, Tag tag, long size);

    /** Gives all the memory back, its generation's arena already closed; the region may carve again. */
    abstract void giveBack();

    /** Gives all the memory back for good, at close. */
    abstract void giveBackForGood();

    /** At a close that leaves live blocks (marked not a leak): their memory stays, for good. */
    abstract void keepForGood();

    static long alignUp(long x, long alignment) {
        return (x + alignment - 1) & -alignment;
    }

    /** The generation's arena, made on its first use. */
    final Arena arena() {
        Arena a = arena;
        if (a == null) {
            arena = a = Arena.ofConfined();
        }
        return a;
    }

    final int generation() {
        return generation;
    }

    // ---- the region's own blocks -------------------------------------------------------------

    @Override
    public final Block allocate(long size, long alignment, Tag tag) {
        return carveBlock(size, alignment, tag, false);
    }

    @Override
    public final Block allocateZeroed(long size, Tag tag) {
        return carveBlock(size, 1, tag, true);
    }

    /**
     * Only the block object is made here; the rest is {@link #reserve}. This much is small enough
     * for C2 to inline into the caller whatever {@code reserve} compiles to (a callee whose code is
     * over {@code InlineSmallCode}, 2500 B, is never inlined), and only inlined can the block a
     * caller drops be scalar-replaced: no allocation at all, as for the JDK's own slices.
     */
    private RegionBlock carveBlock(long size, long alignment, Tag tag, boolean zeroed) {
        long address = reserve(size, alignment, tag);
        RegionBlock b = new RegionBlock(this, address, size, tag, carvedIn, generation, log.last());
        if (tracker != Tracker.OFF) { // here, not in AbstractHeap's one place: a region's block is no registry's
            track(b);
        }
        if (zeroed) {
            zero(b);
        }
        return b;
    }

    /** Checks, carves, records and books a block: everything but its object. */
    private long reserve(long size, long alignment, Tag tag) {
        confined("allocate");
        if (tag == null || closed || size < 0 || size > largest || alignment <= 0 || (alignment & (alignment - 1)) != 0) {
            throw refused(size, alignment, tag);
        }
        long address = carve(alignUp(Math.max(size, 1), MIN_ALIGN), Math.max(alignment, MIN_ALIGN), tag, size);
        log.add(address, size, tag);
        booksOf(tag).allocated(size);
        books.allocated(size, total.liveBytes());
        return address;
    }

    /** Why an allocation is refused, checked in the order the contract lists. */
    private RuntimeException refused(long size, long alignment, Tag tag) {
        Objects.requireNonNull(tag, "tag");
        if (closed) {
            return Errors.closed(name, name, "allocate");
        }
        if (size < 0) {
            return new IllegalArgumentException("negative size: " + size);
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            return new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        return Errors.failed(name, tag, size, -1, "the size is beyond what the allocator can express ("
                + largest + " B)");
    }

    /** A tracked block's history is the block object's: that object is then its entry's. */
    private void track(RegionBlock b) {
        History h = tracker.onAllocate(b);
        if (h != null) {
            b.history = h;
            log.keep(b);
        }
    }

    private static void zero(RegionBlock b) {
        b.segment().fill((byte) 0);
    }

    private RegionBooks booksOf(Tag tag) {
        if (tag == lastTag) {
            return lastBooks;
        }
        RegionBooks[] a = tagBooks;
        int id = tag.id();
        RegionBooks b = id < a.length ? a[id] : null;
        if (b == null) {
            b = newBooks(tag);
        }
        lastTag = tag;
        lastBooks = b;
        return b;
    }

    private RegionBooks newBooks(Tag tag) {
        int id = tag.id();
        RegionBooks[] a = Arrays.copyOf(tagBooks, Math.max(id + 1, tagBooks.length));
        RegionBooks b = a[id] = new RegionBooks();
        tagBooks = a; // a new array, published whole: a reader on another thread sees it complete
        return b;
    }

    /** A single free (or a transfer out): the books now, the memory at the release. */
    final void freeBlock(RegionBlock b, String op) {
        confined(op);
        checkKillable(b, op);
        killOwn(b, BlockImpl.FREED, op);
    }

    /** Refuses, before anything changes, the death of an own block: held as a chunk, dead, or in use. */
    private void checkKillable(RegionBlock b, String op) {
        RegionBlock c = b.generation == generation ? log.keptAt(b.index) : null;
        (c != null ? c : b).checkNotHeld(op);
        int d = b.deathState();
        if (d != 0) {
            throw Errors.dead(b, d, op);
        }
        if (b.openViews() > 0) {
            throw Errors.inUse(b, b.openViews(), op);
        }
    }

    private void killOwn(RegionBlock b, int how, String op) {
        b.die(how);
        booksOf(b.tag).freed(b.size);
        books.freed(b.size);
    }

    final void viewOpened(int n) {
        openViews += n;
    }

    /**
     * A pool made over this region took ({@code +1}) or gave back one of its blocks as a chunk;
     * the pool holds that object, which is then its entry's.
     */
    final void chunkHeld(RegionBlock b, int n) {
        if (n > 0) {
            log.keep(b);
        }
        heldChunks += n;
    }

    /** The object of {@code b}'s entry that every listing hands out, if {@code b} is of this generation. */
    final RegionBlock canonical(RegionBlock b) {
        return b.generation == generation ? log.keep(b) : b;
    }

    /** A segment of exactly one block's memory, in the generation's arena; on the region's thread. */
    final MemorySegment spanFor(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size, arena(), null);
    }

    /** The own block that starts at {@code address} in this generation, dead or live, or null. */
    private RegionBlock blockAt(long address) {
        int i = log.entryAt(address);
        return i < 0 ? null : log.canonical(this, generation, i);
    }

    private static boolean own(Block block, RegionHeap r) {
        return block instanceof RegionBlock b && b.heap == r;
    }

    // ---- Heap --------------------------------------------------------------------------------

    @Override
    public final void free(Block block) {
        if (own(block, this)) {
            freeBlock((RegionBlock) block, "free");
            return;
        }
        confined("free");
        super.free(block);
    }

    /**
     * A block's start address frees it; any other address of the region's memory is unknown here,
     * and refused by every other heap as the region's ({@link Registry#range}).
     */
    @Override
    public final void free(MemorySegment address) {
        requireNativeAccess("free(MemorySegment)");
        confined("free");
        RegionBlock b = blockAt(Objects.requireNonNull(address, "address").address());
        if (b != null) {
            freeBlock(b, "free");
            return;
        }
        super.free(address);
    }

    /** Confined first: from another thread nothing is touched, the block's owner included. */
    @Override
    public final Block reallocate(Block block, long newSize) {
        confined("reallocate");
        if (!own(block, this)) {
            return super.reallocate(block, newSize);
        }
        RegionBlock b = (RegionBlock) block;
        if (newSize < 0) {
            throw new IllegalArgumentException("negative size: " + newSize);
        }
        checkKillable(b, "reallocate");
        RegionBlock moved = carveBlock(newSize, 1, b.tag, false); // refused: the old block is unchanged
        MemorySegment.copy(b.segment(), 0, moved.segment(), 0, Math.min(b.size, newSize));
        killOwn(b, BlockImpl.REALLOCATED, "reallocate");
        return moved;
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
        if (b instanceof RegionBlock rb) {
            checkKillable(rb, "transfer");
            Block moved = target.allocate(rb.size, rb.tag);
            MemorySegment.copy(rb.segment(), 0, MemorySegment.ofAddress(moved.address()).reinterpret(rb.size), 0,
                    rb.size);
            killOwn(rb, BlockImpl.FREED, "transfer");
            return moved;
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

    @Override
    public final int release() {
        confined("release");
        if (closed) {
            throw Errors.closed(name, name, "release");
        }
        checkReleasable("release");
        int killed = killStacked("release");
        disposeWrappers();
        long own = 0;
        for (RegionBooks t : tagBooks) {
            if (t != null) {
                own += t.released();
            }
        }
        books.released();
        endGeneration();
        giveBack();
        return killed + (int) own;
    }

    /** Every segment of the generation dies with its arena; its blocks with the generation's number. */
    private void endGeneration() {
        generation++;
        log.clear();
        lastTag = null;
        lastBooks = null;
        Arena a = arena;
        arena = null;
        carvedIn = null;
        if (a != null) {
            a.close();
        }
    }

    /**
     * Refuses, before anything changes, a release that would kill a block in use: open views, a
     * chunk of a pool over this region. Walks the own blocks only when a count says one is in use.
     */
    private void checkReleasable(String op) {
        if (openViews > 0 || heldChunks > 0) {
            for (int i = 0, n = log.count(); i < n; i++) {
                int s = log.state(i);
                if (s >= 0) {
                    RegionBlock c = log.keptAt(i);
                    if (c != null) {
                        c.checkNotHeld(op);
                    }
                    if (s > 0) {
                        throw Errors.inUse(log.canonical(this, generation, i), s, op);
                    }
                }
            }
        }
        for (BlockImpl b : stacked) {
            checkKillable(b, op);
        }
    }

    /**
     * Kills every live block of the stacked heaps, checked already. A view opened between the check
     * and the kill makes the kill throw: the memory then stays, and a later release finishes.
     */
    private int killStacked(String op) {
        int n = 0;
        for (BlockImpl b : stacked) {
            if (b.isLive()) {
                b.heap.freeOwned(b, op);
                n++;
            }
        }
        stacked.clear();
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
    public final int freeLeaked() {
        confined("freeLeaked");
        int n = 0;
        for (int i = 0, count = log.count(); i < count; i++) {
            RegionBlock b = log.state(i) >= 0 ? log.canonical(this, generation, i) : null;
            if (b != null && b.heldBy == null) {
                try {
                    freeBlock(b, "free");
                    n++;
                } catch (CustodyException ignored) {
                    // in use: not ours to free
                }
            }
        }
        return n + super.freeLeaked(); // the stacked heaps' blocks: the own ones are dead now
    }

    /** The live blocks of the stacked heaps (from the registry), then the own ones, oldest first. */
    @Override
    List<BlockImpl> live() {
        List<BlockImpl> out = super.live();
        out.addAll(ownLive());
        return out;
    }

    /** The region's own live blocks, which are in no registry, oldest first; pools' chunks left out. */
    final List<BlockImpl> ownLive() {
        return log.live(this, generation, Thread.currentThread() == thread);
    }

    /** The own books plus the ledgers' (the stacked heaps' blocks); exact at quiescence. */
    @Override
    public final HeapStats stats() {
        HeapStats ledgers = super.stats();
        Map<Tag, Figures> tags = new LinkedHashMap<>();
        RegionBooks[] a = tagBooks;
        for (Tag t : Tag.known()) {
            RegionBooks r = t.id() < a.length ? a[t.id()] : null;
            Figures l = ledgers.byTag().get(t);
            if (r != null || l != null) {
                Figures f = r == null ? l : l == null ? r.figures() : l.plus(r.figures());
                tags.put(t, f);
            }
        }
        Figures own = books.figures();
        Figures l = ledgers.total();
        // The own peak counts the stacked blocks too (see RegionBooks.allocated): it is the total's.
        Figures sum = new Figures(own.liveBytes() + l.liveBytes(), own.liveBlocks() + l.liveBlocks(),
                Math.max(own.peakBytes(), l.peakBytes()), own.allocations() + l.allocations(),
                own.frees() + l.frees(), l.handedOffBlocks(), l.handedOffBytes(), l.leaksCollected());
        return new HeapStats(name, id, sum, tags);
    }

    // ---- heaps stacked over the region -----------------------------------------------------

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
        stacked.add(b);
        books.peakAt(books.liveBytes() + total.liveBytes()); // this block's bytes are already reserved
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
            stacked.add(outer);
            return;
        }
        int last = stacked.size() - 1;
        if (last >= 0 && stacked.get(last) == inner) {
            stacked.set(last, outer);
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
    public final long peakBytes() {
        return books.levelPeak();
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
     * After the leak check. Blocks marked not-a-leak may still be live: their memory (and their
     * generation's arena) is then kept for good, since giving it back would leave their segments
     * over freed memory.
     */
    @Override
    final void onClose() {
        disposeWrappers();
        if (stats().total().liveBlocks() == 0) {
            endGeneration();
            giveBackForGood();
        } else {
            keepForGood();
        }
        stacked.clear();
        super.onClose();
    }

    @Override
    final long maxSize() {
        return largest;
    }

    final void confined(String op) {
        Thread me = Thread.currentThread();
        if (me != thread) {
            throw wrongThread(op, me);
        }
    }

    private RuntimeException wrongThread(String op, Thread me) {
        return Errors.wrongThread(name, op + " on region '" + name + "' from thread '" + me.getName()
                + "': the region is confined to thread '" + thread.getName() + "'. Nothing changed.");
    }
}
