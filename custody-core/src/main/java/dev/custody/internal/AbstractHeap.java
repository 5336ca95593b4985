package dev.custody.internal;

import dev.custody.Block;
import dev.custody.CustodyException;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.HeapStats;
import dev.custody.Leak;
import dev.custody.LeakException;
import dev.custody.LeakListener;
import dev.custody.Releaser;
import dev.custody.SharedBlock;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.debug.HeapCorruptionException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every heap shares: the checks of the laws, the books, the registry, tracking and leak
 * reports. A subclass supplies the memory: {@link #newBlock} and {@link #release}.
 */
public abstract sealed class AbstractHeap implements Heap
        permits NativeHeapImpl, ChildHeap, RegionHeap, SlabHeap, DebugHeapImpl {
    /** The largest size any heap accepts; beyond it a request is absurd, whatever the allocator. */
    static final long ABSURD = 1L << 46;

    private static final Set<Module> WARNED = ConcurrentHashMap.newKeySet();

    private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();

    final String name;
    /** This heap's identity in snapshots: a serial, never reused. */
    final long id = IDS.incrementAndGet();
    /** The heap whose books also count this heap's blocks, or null for a root. */
    final AbstractHeap parent;
    final Ledger total;
    /** Per-tag books, indexed by {@link Tag#id()}; grown copy-on-write under the heap's lock. */
    private volatile Ledger[] byTag = new Ledger[16];
    volatile Tracker tracker = Tracker.OFF;
    volatile LeakListener leakListener = LeakListener.warning();
    volatile boolean closed;
    /** This heap's JMX name once {@link HeapMXBeans} registered it. */
    volatile javax.management.ObjectName mbeanName;
    /**
     * Heaps that can close (not the process-wide roots): the allocations in flight in the low bits,
     * and {@link #CLOSING} while a close checks for leaks. A close waits for the count to reach 0, so
     * a close and an allocate that race have one winner (Law 10).
     */
    private final boolean closable;
    /** This heap or an ancestor can close: allocations pass every closable gate up the chain. */
    private final boolean gated;
    private volatile long gate;
    private static final long CLOSING = 1L << 62;
    private static final java.lang.invoke.VarHandle GATE;

    static {
        try {
            GATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(AbstractHeap.class, "gate", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    protected AbstractHeap(String name, AbstractHeap parent, long limit, boolean closable) {
        this.closable = closable;
        this.name = Objects.requireNonNull(name, "name");
        this.parent = parent;
        this.total = new Ledger(limit);
        if (parent != null) {
            this.tracker = parent.tracker;
            this.leakListener = parent.leakListener;
        }
        boolean chain = false;
        for (AbstractHeap h = parent; h != null; h = h.parent) {
            chain |= h.closable;
        }
        this.gated = closable || chain;
    }

    /**
     * Publishes a fully made heap: in {@link dev.custody.Custody#heaps()}, in snapshots and, when
     * exposed, as an MXBean. Every factory calls it last, so a heap whose constructor threw is never
     * seen.
     */
    static <H extends AbstractHeap> H publish(H heap) {
        HeapDirectory.add(heap);
        Switches.published(heap); // the switches: a root's default tracking (and, first, custody.jmx)
        HeapMXBeans.created(heap);
        HeapDirectory.opened(heap);
        return heap;
    }

    // ---- what a subclass supplies ----------------------------------------------------------

    /**
     * Makes the block from fresh memory, or returns null if the allocator returned NULL. Called
     * with the bytes already reserved in the books.
     */
    abstract BlockImpl newBlock(AbstractHeap home, long size, long alignment, Tag tag, boolean zeroed,
                                boolean shared);

    /** Gives a dead block's memory back. Called exactly once per block, after the registry let go. */
    abstract void release(BlockImpl b);

    /** Whether {@link #nativeReallocate} is available: the allocator has a realloc. */
    boolean canReallocateNatively() {
        return false;
    }

    /** Resizes in place or by moving, or returns 0 if the allocator failed (the old memory then stays). */
    long nativeReallocate(BlockImpl b, long newSize) {
        throw new UnsupportedOperationException("heap '" + name + "' has no realloc");
    }

    /**
     * A debug heap over this heap made {@code outer} in the memory of {@code inner}, which this heap
     * (or a pool it draws from) just made, or in a guarded mapping of its own ({@code inner} null):
     * a pool that kills its blocks at its release must kill the outer block, the one custody handed
     * out. A child or debug heap forwards it to its parent, whose memory it uses; a root ignores it.
     */
    void carvedFor(BlockImpl inner, BlockImpl outer) {
        if (parent != null) {
            parent.carvedFor(inner, outer);
        }
    }

    /**
     * Debug heaps whose memory is this heap's: a pool gives their quarantines back before its own
     * memory goes (see {@link #disposeWrappers()}).
     */
    private final java.util.concurrent.CopyOnWriteArrayList<DebugHeapImpl> wrappers =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A debug heap over this heap was made ({@code true}) or closed. Only a pool, whose memory goes
     * back under the debug heap's quarantine, keeps them ({@link #keepWrapper}); a child or debug heap
     * forwards to its parent, a root ignores it.
     */
    void wrappedBy(DebugHeapImpl debug, boolean made) {
        if (parent != null) {
            parent.wrappedBy(debug, made);
        }
    }

    final void keepWrapper(DebugHeapImpl debug, boolean made) {
        if (made) {
            wrappers.add(debug);
        } else {
            wrappers.remove(debug);
        }
    }

    /** For a pool about to give its memory back: the quarantines of debug heaps over it leave first, checked. */
    final void disposeWrappers() {
        // newest first: a debug heap over another gives its memory back into the other's quarantine
        for (DebugHeapImpl d : wrappers.reversed()) {
            d.disposeQuarantine();
        }
    }

    /**
     * Throws if the calling thread may not have memory of this heap's: a region's, off its thread.
     * For a debug heap whose guarded mappings do not come from its base. A child or debug heap asks
     * its parent.
     *
     * @throws WrongThreadException on a region, from another thread than the region's
     */
    void admit(String op) {
        if (parent != null) {
            parent.admit(op);
        }
    }

    /**
     * Whether this heap's memory may hold reference-counted blocks: not a region's, whose release
     * kills its blocks whatever their count. A child or debug heap asks its parent.
     */
    boolean countable() {
        return parent == null || parent.countable();
    }

    /** Equal keys: same free function, same owner. */
    public abstract Object ownerKey();

    /** The largest size this heap's allocator can express. */
    abstract long maxSize();

    // ---- allocation ------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public final Block allocate(long size, long alignment, Tag tag) {
        return allocateImpl(size, alignment, tag, false, false);
    }

    @Override
    public final Block allocateZeroed(long size, Tag tag) {
        return allocateImpl(size, 1, tag, true, false);
    }

    @Override
    public final SharedBlock allocateShared(long size, Tag tag) {
        return new SharedHandle((SharedCore) allocateImpl(size, 1, tag, false, true));
    }

    final BlockImpl allocateImpl(long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        if (!gated) {
            return allocateOpen(size, alignment, tag, zeroed, shared);
        }
        enter("allocate");
        try {
            return allocateOpen(size, alignment, tag, zeroed, shared);
        } finally {
            exit(null);
        }
    }

    /**
     * Passes the gate of this heap and of every closable ancestor, innermost first: a closed heap's
     * descendants refuse, and a close waits for the allocations in flight below it (Law 10).
     *
     * @throws IllegalStateException if this heap or an ancestor is closed or closing
     */
    private void enter(String op) {
        for (AbstractHeap h = this; h != null; h = h.parent) {
            if (h.closable && !h.enterOne()) {
                exit(h);
                throw Errors.closed(name, h.name, op);
            }
        }
    }

    /** Leaves the gates passed by {@link #enter}, up to (not including) {@code stop}. */
    private void exit(AbstractHeap stop) {
        for (AbstractHeap h = this; h != stop; h = h.parent) {
            if (h.closable) {
                GATE.getAndAdd(h, -1L);
            }
        }
    }

    private boolean enterOne() {
        for (;;) {
            long g = gate;
            if ((g & CLOSING) != 0 || closed) {
                return false;
            }
            if (GATE.compareAndSet(this, g, g + 1)) {
                return true;
            }
        }
    }

    private BlockImpl allocateOpen(long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        Objects.requireNonNull(tag, "tag");
        checkSize(size);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        if (size > maxSize() || size > ABSURD) {
            throw Errors.failed(name, tag, size, -1, "the size is beyond what the allocator can express ("
                    + Math.min(maxSize(), ABSURD) + " B)");
        }
        reserve(tag, size, size);
        BlockImpl b;
        try {
            b = newBlock(this, size, alignment, tag, zeroed, shared);
        } catch (Throwable t) {
            unreserve(tag, size);
            throw t;
        }
        if (b == null) {
            unreserve(tag, size);
            throw Errors.failed(name, tag, size, -1, "the allocator returned NULL");
        }
        register(b);
        completeAllocation(tag, size);
        return b;
    }

    private static void checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
    }

    private void register(BlockImpl b) {
        BlockImpl old = Registry.add(b);
        if (old != null) {
            // The allocator handed out an address custody still counts as live: it was freed
            // behind custody's back. Keep the new block out of the books and say so.
            release(b);
            unreserve(b.tag, b.size);
            throw Errors.reused(name, b, old);
        }
    }

    /**
     * Reserves {@code bytes} against every limit up the chain, for a request of {@code requested}
     * bytes; nothing changes if one would be passed.
     */
    private void reserve(Tag tag, long bytes, long requested) {
        for (AbstractHeap h = this; h != null; h = h.parent) {
            if (!h.total.tryReserve(bytes)) {
                for (AbstractHeap u = this; u != h; u = u.parent) {
                    u.total.unreserve(bytes);
                }
                throw Errors.failed(name, tag, requested, h.total.limit, "heap '" + h.name
                        + "' would pass its limit of " + h.total.limit + " B (" + h.total.liveBytes() + " B live"
                        + (bytes == requested ? "" : ", " + bytes + " B more needed") + ")");
            }
        }
    }

    private void unreserve(Tag tag, long size) {
        for (AbstractHeap h = this; h != null; h = h.parent) {
            h.total.unreserve(size);
        }
    }

    private void completeAllocation(Tag tag, long size) {
        for (AbstractHeap h = this; h != null; h = h.parent) {
            h.total.reservedPeak();
            h.tagLedger(tag).allocatedUnlimited(size);
        }
    }

    final Ledger tagLedger(Tag tag) {
        Ledger[] a = byTag;
        int id = tag.id();
        Ledger l;
        if (id < a.length && (l = a[id]) != null) {
            return l;
        }
        return newTagLedger(id);
    }

    private synchronized Ledger newTagLedger(int id) {
        Ledger[] a = byTag;
        if (id >= a.length) {
            a = java.util.Arrays.copyOf(a, Math.max(id + 1, a.length * 2));
        } else if (a[id] != null) {
            return a[id];
        } else {
            a = a.clone();
        }
        Ledger l = new Ledger(Long.MAX_VALUE);
        a[id] = l;
        byTag = a;
        return l;
    }

    // ---- frees and hand-offs ---------------------------------------------------------------

    final boolean sameOwner(AbstractHeap other) {
        return other == this || ownerKey().equals(other.ownerKey());
    }

    /** A block's state; {@link Block} is sealed, so every block is one of these. */
    static BlockImpl cast(Block block) {
        return switch (Objects.requireNonNull(block, "block")) {
            case BlockImpl b -> b;
            case SharedHandle s -> s.core;
        };
    }

    /** A heap's implementation; {@link Heap} is sealed, so every heap is one. */
    public static AbstractHeap of(Heap heap) {
        return switch (Objects.requireNonNull(heap, "heap")) {
            case AbstractHeap h -> h;
        };
    }

    /**
     * The capability of {@link dev.custody.Heaps#adopter}: adoptions into this heap with the
     * caller's native access checked once, by the caller of this method.
     */
    public final dev.custody.Adopter adopter() {
        return new dev.custody.Adopter() {
            @Override
            public Block adopt(long address, long size, Tag tag) {
                return adoptChecked(address, size, tag, null);
            }

            @Override
            public Block adopt(long address, long size, Tag tag, Releaser releaser) {
                return adoptChecked(address, size, tag, Objects.requireNonNull(releaser, "releaser"));
            }
        };
    }

    @Override
    public void free(Block block) {
        BlockImpl b = cast(block);
        if (!sameOwner(b.heap)) {
            throw Errors.wrongHeap(b, name, "free");
        }
        b.checkNotHeld("free");
        if (block instanceof SharedHandle s) {
            s.free();
        } else if (b instanceof SharedCore c) {
            c.freeIfSole();
        } else {
            b.heap.freeOwned(b, "free");
        }
    }

    /**
     * The free of a block of this heap, after the owner check: Laws 2, 3 and 10. The books move
     * only once the memory is back; a free function that throws leaves the block live and counted.
     *
     * @throws FreeFailedException if the free function (or the block's releaser) threw
     */
    final void freeOwned(BlockImpl b, String op) {
        Thread before = b.begin(op);
        b.closeArena(); // before the memory goes back: a stale segment must never see it
        try {
            giveBack(b);
        } catch (HeapCorruptionException e) {
            b.end(BlockImpl.FREED); // a debug heap withheld the memory for good: the block is dead
            booksFreed(b);
            throw e;
        } catch (Throwable t) {
            b.undo(before);
            throw Errors.freeFailed(b, op, t);
        }
        b.end(BlockImpl.FREED);
        booksFreed(b);
    }

    /**
     * For the cleaner: gives back an unreachable block that was just killed. If the free fails, the
     * block lives again, counted, and the heap's close reports it as a leak.
     *
     * @return whether the memory went back
     */
    final boolean releaseUnreachable(BlockImpl b) {
        try {
            giveBack(b);
        } catch (Throwable t) {
            b.undo(null);
            return false;
        }
        booksFreed(b);
        return true;
    }

    /** A dead block's memory back to where it came from: its releaser's, or this heap's allocator. */
    private void giveBack(BlockImpl b) throws Throwable {
        if ((b.flags & BlockImpl.RELEASER) != 0) {
            ((AdoptedBlock) b).releaser.release(b.address);
        } else {
            release(b);
        }
    }

    final void leakCollected(BlockImpl b) {
        for (AbstractHeap h = b.heap; h != null; h = h.parent) {
            h.tagLedger(b.tag).leakCollected();
        }
    }

    private static void booksFreed(BlockImpl b) {
        for (AbstractHeap h = b.heap; h != null; h = h.parent) {
            h.total.unreserve(b.size);
            h.tagLedger(b.tag).freed(b.size);
        }
    }

    @Override
    public void free(MemorySegment address) {
        requireNativeAccess("free(MemorySegment)");
        long addr = Objects.requireNonNull(address, "address").address();
        BlockImpl b = Registry.find(addr);
        if (b == null) {
            throw Errors.unknown(name, addr);
        }
        if (!sameOwner(b.heap)) {
            throw Errors.wrongHeap(b, name, "free");
        }
        if (b instanceof SharedCore c) {
            c.freeIfSole();
        } else {
            b.heap.freeOwned(b, "free");
        }
    }

    final long handOff(BlockImpl b, Heap freer) {
        Objects.requireNonNull(freer, "freer");
        if (!of(freer).sameOwner(b.heap)) {
            throw Errors.wrongHeap(b, freer.name(), "handOff");
        }
        if (b.isShared()) {
            throw Errors.illegalHandOff(b, "it is reference counted; its count decides when it is freed");
        }
        if ((b.flags & BlockImpl.CUSTODY_LAYOUT) != 0) {
            throw Errors.illegalHandOff(b, "its address or layout is custody's own (over-allocated for alignment,"
                    + " or carved from a pool)");
        }
        if ((b.flags & BlockImpl.RELEASER) != 0) {
            throw Errors.illegalHandOff(b, "it was adopted with a releaser, which alone knows how to give it back");
        }
        b.kill(BlockImpl.HANDED_OFF, "handOff");
        for (AbstractHeap h = b.heap; h != null; h = h.parent) {
            h.total.unreserve(b.size);
            h.tagLedger(b.tag).handedOff(b.size);
        }
        return b.address;
    }

    @Override
    public Block reallocate(Block block, long newSize) {
        BlockImpl b = cast(block);
        checkSize(newSize);
        if (!sameOwner(b.heap)) {
            throw Errors.wrongHeap(b, name, "reallocate");
        }
        b.checkNotHeld("reallocate");
        if (b.isShared()) {
            throw Errors.counted(b, ((SharedCore) b).refs(), "reallocate");
        }
        return b.heap.reallocateOwned(b, newSize);
    }

    /**
     * Checks and reserves first, kills last: every failure leaves the old block as it was, live,
     * with its segment valid and its owner unchanged. Only the growth is reserved, so a block may
     * grow up to its heap's limit.
     */
    private Block reallocateOwned(BlockImpl b, long newSize) {
        if (newSize > maxSize() || newSize > ABSURD) {
            throw Errors.failed(name, b.tag, newSize, -1, "the size is beyond what the allocator can express ("
                    + Math.min(maxSize(), ABSURD) + " B); the old block is unchanged and still live");
        }
        int s = b.settled();
        if (s < 0) {
            throw Errors.dead(b, s, "reallocate");
        }
        if (s > 0) {
            throw Errors.inUse(b, s, "reallocate");
        }
        long growth = Math.max(newSize - b.size, 0);
        reserve(b.tag, growth, newSize);
        BlockImpl moved;
        try {
            moved = (b.flags & (BlockImpl.CUSTODY_LAYOUT | BlockImpl.RELEASER)) == 0 && canReallocateNatively()
                    ? reallocNative(b, newSize) : reallocByCopy(b, newSize);
        } catch (Throwable t) {
            unreserve(b.tag, growth);
            throw t;
        }
        BlockImpl old = Registry.add(moved);
        if (old != null) {
            release(moved); // freed behind custody's back, as in register(): the new block stays out
            unreserve(b.tag, growth);
            booksFreed(b);
            throw Errors.reused(name, moved, old);
        }
        booksMoved(b, newSize, growth);
        return moved;
    }

    /** In place or moved by the allocator's realloc, with the block pending so that racers wait. */
    private BlockImpl reallocNative(BlockImpl b, long newSize) {
        Thread before = b.begin("reallocate");
        long addr;
        try {
            addr = nativeReallocate(b, newSize);
        } catch (Throwable t) {
            b.undo(before);
            throw t;
        }
        if (addr == 0) {
            b.undo(before);
            throw Errors.failed(name, b.tag, newSize, -1, "realloc returned NULL; the old block is unchanged and"
                    + " still live");
        }
        b.end(BlockImpl.REALLOCATED);
        return new BlockImpl(this, addr, addr, newSize, b.tag, b.flags & BlockImpl.ADOPTED, false);
    }

    /** New storage, the bytes copied, then the old block freed: it dies only once the new one exists. */
    private BlockImpl reallocByCopy(BlockImpl b, long newSize) {
        Thread owner = b.owner();
        b.own("reallocate"); // checked before anything is allocated
        BlockImpl moved;
        try {
            moved = newBlock(this, newSize, 1, b.tag, false, false);
        } catch (Throwable t) {
            b.restoreOwner(owner);
            throw t;
        }
        if (moved == null) {
            b.restoreOwner(owner);
            throw Errors.failed(name, b.tag, newSize, -1, "the allocator returned NULL; the old block is unchanged"
                    + " and still live");
        }
        MemorySegment.copy(MemorySegment.ofAddress(b.address).reinterpret(b.size), 0,
                MemorySegment.ofAddress(moved.address).reinterpret(newSize), 0, Math.min(b.size, newSize));
        try {
            b.begin("reallocate");
        } catch (RuntimeException e) {
            discard(moved); // a racing free or hand-off won, or views were opened meanwhile
            b.restoreOwner(owner);
            throw e;
        }
        b.closeArena();
        try {
            giveBack(b);
        } catch (Throwable t) {
            b.undo(owner);
            discard(moved);
            throw Errors.freeFailed(b, "reallocate", t);
        }
        b.end(BlockImpl.REALLOCATED);
        return moved;
    }

    /** New storage that never entered the books or the registry goes back. */
    private void discard(BlockImpl moved) {
        moved.kill(BlockImpl.FREED, "reallocate");
        release(moved);
    }

    /** The old block's bytes leave the books and the new block's enter; the growth was reserved. */
    private void booksMoved(BlockImpl b, long newSize, long growth) {
        long shrink = b.size + growth - newSize;
        for (AbstractHeap h = b.heap; h != null; h = h.parent) {
            h.total.unreserve(shrink);
            h.total.reservedPeak();
            Ledger t = h.tagLedger(b.tag);
            t.freed(b.size);
            t.allocatedUnlimited(newSize);
        }
    }

    // ---- adoption --------------------------------------------------------------------------

    @Override
    public Block adopt(MemorySegment address, long size, Tag tag) {
        requireNativeAccess("adopt");
        return adoptChecked(Objects.requireNonNull(address, "address").address(), size, tag, null);
    }

    @Override
    public Block adopt(MemorySegment address, long size, Tag tag, Releaser releaser) {
        requireNativeAccess("adopt");
        return adoptChecked(Objects.requireNonNull(address, "address").address(), size, tag,
                Objects.requireNonNull(releaser, "releaser"));
    }

    /**
     * {@link #adopt}, for a caller whose native access was checked already (an {@link
     * dev.custody.Adopter}).
     *
     * @param releaser how the memory goes back, or null for this heap's free function
     */
    public final Block adoptChecked(long addr, long size, Tag tag, Releaser releaser) {
        Objects.requireNonNull(tag, "tag");
        if (addr == 0 || addr == -1) {
            throw new IllegalArgumentException("cannot adopt address 0x" + Long.toHexString(addr));
        }
        checkSize(size);
        admit("adopt"); // a region, or a heap over one, is confined to its thread
        if (!gated) {
            return adoptOpen(addr, size, tag, releaser);
        }
        enter("adopt");
        try {
            return adoptOpen(addr, size, tag, releaser);
        } finally {
            exit(null);
        }
    }

    private Block adoptOpen(long addr, long size, Tag tag, Releaser releaser) {
        BlockImpl holder = Registry.holder(addr);
        if (holder != null) {
            throw Errors.alreadyInCustody(name, addr, size, tag, holder);
        }
        reserve(tag, size, size);
        BlockImpl b = releaser == null ? new BlockImpl(this, addr, addr, size, tag, BlockImpl.ADOPTED, false)
                : new AdoptedBlock(this, addr, size, tag, releaser);
        BlockImpl old = Registry.add(b);
        if (old != null) { // adopted by another thread meanwhile
            unreserve(tag, size);
            throw Errors.alreadyInCustody(name, addr, size, tag, old);
        }
        completeAllocation(tag, size);
        return b;
    }

    /** Restricted in spirit, like the JDK's restricted methods: see {@link dev.custody.Heaps}. */
    public static void requireNativeAccess(String method) {
        Module m = Sites.callerClass().getModule();
        if (m.isNativeAccessEnabled()) {
            return;
        }
        if ("deny".equals(System.getProperty("custody.illegalNativeAccess"))) {
            throw new IllegalCallerException("Heap." + method + " is restricted and " + m
                    + " has no native access: add --enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED"));
        }
        if (WARNED.add(m)) {
            System.err.println("WARNING: custody restricted method Heap." + method + " called by " + m
                    + "; use --enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED")
                    + " to avoid this warning (denied under -Dcustody.illegalNativeAccess=deny)");
        }
    }

    // ---- books, reports, settings ----------------------------------------------------------

    @Override
    public HeapStats stats() {
        Map<Tag, Figures> tags = new LinkedHashMap<>();
        List<Ledger> ledgers = new ArrayList<>();
        Ledger[] a = byTag;
        List<Tag> known = Tag.known();
        for (Tag t : known) {
            Ledger l = t.id() < a.length ? a[t.id()] : null;
            if (l != null) {
                tags.put(t, l.figures());
                ledgers.add(l);
            }
        }
        return new HeapStats(name, id, total.heapFigures(ledgers), tags);
    }

    final boolean within(AbstractHeap h) {
        for (AbstractHeap x = h; x != null; x = x.parent) {
            if (x == this) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the books show a live block in this heap or its descendants (whose books roll up
     * into this heap's). Never false while a block is live, so a false spares a registry scan: the
     * registry is process-wide, and its size is no business of an empty heap.
     */
    final boolean booksShowLiveBlocks() {
        for (Ledger l : byTag) {
            if (l != null && l.liveBlocksAtLeast() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The live blocks of this heap and its descendants; reads the books first, and scans only if they show some. */
    private List<BlockImpl> live() {
        List<BlockImpl> out = new ArrayList<>();
        if (booksShowLiveBlocks()) {
            Registry.forEachLive(b -> {
                if (b.heldBy == null && within(b.heap)) { // a pool's chunk is the pool's, not a leak here
                    out.add(b);
                }
            });
        }
        return out;
    }

    @Override
    public List<Block> liveBlocks() {
        List<Block> out = new ArrayList<>();
        for (BlockImpl b : live()) {
            out.add(b.exposed());
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        if (!closable) {
            checkLeaks();
            return;
        }
        while (!GATE.compareAndSet(this, 0L, CLOSING)) {
            if ((gate & CLOSING) != 0 || closed) {
                throw Errors.alreadyClosing(name);
            }
            Thread.onSpinWait(); // an allocation in flight finishes first
        }
        try {
            checkLeaks();
        } catch (LeakException e) {
            GATE.setVolatile(this, 0L);
            throw e;
        }
        onClose();
    }

    private void checkLeaks() {
        List<Leak> leaks = new ArrayList<>();
        for (BlockImpl b : live()) {
            if (!b.notALeak()) {
                leaks.add(b.leak());
            }
        }
        if (!leaks.isEmpty()) {
            leaks.forEach(l -> LeakEvent.emit(l, false));
            throw new LeakException(name, leaks);
        }
    }

    /** After a clean {@link #close()} of a closable heap: it is closed for good. */
    void onClose() {
        closed = true;
        HeapDirectory.remove(this);
        HeapMXBeans.closed(this);
        HeapDirectory.closed(this);
    }

    @Override
    public int freeLeaked() {
        int n = 0;
        for (BlockImpl bi : live()) {
            try {
                if (bi instanceof SharedCore c) {
                    if (c.freeLeaked()) {
                        n++;
                    }
                } else {
                    bi.heap.freeOwned(bi, "free");
                    n++;
                }
            } catch (CustodyException ignored) {
                // owned by another live thread, in use, or freed meanwhile: not ours to free
            }
        }
        return n;
    }

    @Override
    public Heap child(String childName, long limitBytes) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException("negative limit: " + limitBytes);
        }
        return publish(new ChildHeap(childName, this, limitBytes));
    }

    @Override
    public Arena asArena() {
        return new HeapArena(this);
    }

    @Override
    public void setTracking(Tracking level, int sampleEvery) {
        Objects.requireNonNull(level, "level");
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be at least 1: " + sampleEvery);
        }
        tracker = Tracker.of(level, sampleEvery);
    }

    @Override
    public Tracking tracking() {
        return tracker.level;
    }

    @Override
    public void setLeakListener(LeakListener listener) {
        leakListener = Objects.requireNonNull(listener, "listener");
    }

    /** The limit on live bytes, or Long.MAX_VALUE. */
    public long limit() {
        return total.limit;
    }

    @Override
    public String toString() {
        return "heap '" + name + "'";
    }
}
