package dev.custody.internal;

import dev.custody.Block;
import dev.custody.CustodyException;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.HeapStats;
import dev.custody.Leak;
import dev.custody.LeakException;
import dev.custody.LeakListener;
import dev.custody.SharedBlock;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.observe.LeakEvent;

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
public abstract class AbstractHeap implements Heap {
    /** The largest size any heap accepts; beyond it a request is absurd, whatever the allocator. */
    static final long ABSURD = 1L << 46;

    private static final Set<Module> WARNED = ConcurrentHashMap.newKeySet();

    final String name;
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
        HeapDirectory.add(this);
        HeapMXBeans.created(this);
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

    /** Resizes in place or by moving, or returns 0 if the allocator failed; -1 if it cannot. */
    long nativeReallocate(BlockImpl b, long newSize) {
        return -1;
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
        if (!closable) {
            return allocateOpen(size, alignment, tag, zeroed, shared);
        }
        enter();
        try {
            return allocateOpen(size, alignment, tag, zeroed, shared);
        } finally {
            GATE.getAndAdd(this, -1L);
        }
    }

    private void enter() {
        for (;;) {
            long g = gate;
            if ((g & CLOSING) != 0 || closed) {
                throw new IllegalStateException("heap '" + name + "' is closed");
            }
            if (GATE.compareAndSet(this, g, g + 1)) {
                return;
            }
        }
    }

    private BlockImpl allocateOpen(long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        Objects.requireNonNull(tag, "tag");
        checkSize(size);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        if (closed) {
            throw new IllegalStateException("heap '" + name + "' is closed");
        }
        if (size > maxSize() || size > ABSURD) {
            throw Errors.failed(name, tag, size, -1, "the size is beyond what the allocator can express ("
                    + Math.min(maxSize(), ABSURD) + " B)");
        }
        reserve(tag, size);
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
            throw new CustodyException("allocator of heap '" + name + "' returned 0x" + Long.toHexString(b.address)
                    + ", which custody still holds as " + old + ": that block was freed behind custody's back.",
                    name, b.tag, b.size, List.of());
        }
    }

    /** Reserves against every limit up the chain; nothing changes if one would be passed. */
    private void reserve(Tag tag, long size) {
        for (AbstractHeap h = this; h != null; h = h.parent) {
            if (!h.total.tryReserve(size)) {
                for (AbstractHeap u = this; u != h; u = u.parent) {
                    u.total.unreserve(size);
                }
                throw Errors.failed(name, tag, size, h.total.limit, "heap '" + h.name + "' would pass its limit of "
                        + h.total.limit + " B (" + h.total.liveBytes() + " B live)");
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

    static BlockImpl cast(Block block) {
        Objects.requireNonNull(block, "block");
        if (block instanceof BlockImpl b) {
            return b;
        }
        if (block instanceof SharedHandle s) {
            return s.core;
        }
        throw new CustodyException("not a custody block: " + block.getClass().getName());
    }

    @Override
    public void free(Block block) {
        BlockImpl b = cast(block);
        if (!sameOwner(b.heap)) {
            throw Errors.wrongHeap(b, name, "free");
        }
        if (block instanceof SharedHandle s) {
            s.free();
        } else if (b instanceof SharedCore c) {
            c.freeIfSole();
        } else {
            b.heap.freeOwned(b, "free");
        }
    }

    /** The free of a block of this heap, after the owner check: Laws 2, 3 and 10. */
    final void freeOwned(BlockImpl b, String op) {
        b.kill(BlockImpl.FREED, op);
        releaseDead(b);
    }

    /** Gives a block that was just killed back: memory, books. Its death took it out of the registry. */
    final void releaseDead(BlockImpl b) {
        try {
            release(b);
        } finally {
            booksFreed(b); // the block is dead even if release reports a corruption (a debug heap)
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
        if (!(freer instanceof AbstractHeap f) || !f.sameOwner(b.heap)) {
            throw Errors.wrongHeap(b, freer.name(), "handOff");
        }
        if (b.isShared()) {
            throw Errors.illegalHandOff(b, "it is reference counted; its count decides when it is freed");
        }
        if ((b.flags & BlockImpl.CUSTODY_LAYOUT) != 0) {
            throw Errors.illegalHandOff(b, "its address or layout is custody's own (over-allocated for alignment,"
                    + " or carved from a pool)");
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
        if (b.isShared()) {
            throw new CustodyException("reallocate() of reference-counted " + Errors.describe(b)
                    + " refused: other holders would keep the old address. The block is unchanged.",
                    b.heap.name, b.tag, b.size, List.of());
        }
        return b.heap.reallocateOwned(b, newSize);
    }

    private Block reallocateOwned(BlockImpl b, long newSize) {
        if (newSize > maxSize() || newSize > ABSURD) {
            throw Errors.failed(name, b.tag, newSize, -1, "the size is beyond what the allocator can express");
        }
        b.kill(BlockImpl.MOVING, "reallocate");
        BlockImpl moved;
        try {
            reserve(b.tag, newSize);
        } catch (RuntimeException e) {
            b.revive();
            throw e;
        }
        try {
            moved = (b.flags & BlockImpl.CUSTODY_LAYOUT) == 0 ? reallocNative(b, newSize) : null;
            if (moved == null) {
                moved = newBlock(this, newSize, 1, b.tag, false, false);
                if (moved != null) {
                    MemorySegment.copy(MemorySegment.ofAddress(b.address).reinterpret(b.size), 0,
                            MemorySegment.ofAddress(moved.address).reinterpret(newSize), 0, Math.min(b.size, newSize));
                    release(b);
                }
            }
        } catch (Throwable t) {
            unreserve(b.tag, newSize);
            b.revive();
            throw t;
        }
        if (moved == null) {
            unreserve(b.tag, newSize);
            b.revive();
            throw Errors.failed(name, b.tag, newSize, -1, "the allocator returned NULL; the old block is unchanged and"
                    + " still live");
        }
        b.setDead(BlockImpl.REALLOCATED);
        booksFreed(b);
        register(moved);
        completeAllocation(b.tag, newSize);
        return moved;
    }

    private BlockImpl reallocNative(BlockImpl b, long newSize) {
        long addr = nativeReallocate(b, newSize);
        if (addr == -1) {
            return null; // cannot: copy instead
        }
        if (addr == 0) {
            throw Errors.failed(name, b.tag, newSize, -1, "realloc returned NULL; the old block is unchanged and"
                    + " still live");
        }
        return new BlockImpl(this, addr, addr, newSize, b.tag, b.flags & BlockImpl.ADOPTED, false);
    }

    // ---- adoption --------------------------------------------------------------------------

    @Override
    public Block adopt(MemorySegment address, long size, Tag tag) {
        requireNativeAccess("adopt");
        return adoptChecked(Objects.requireNonNull(address, "address").address(), size, tag);
    }

    /** {@link #adopt}, for a caller whose native access was checked already (an {@link dev.custody.Adopter}). */
    public final Block adoptChecked(long addr, long size, Tag tag) {
        Objects.requireNonNull(tag, "tag");
        if (addr == 0 || addr == -1) {
            throw new IllegalArgumentException("cannot adopt address 0x" + Long.toHexString(addr));
        }
        checkSize(size);
        if (closable) {
            enter();
            try {
                return adoptOpen(addr, size, tag);
            } finally {
                GATE.getAndAdd(this, -1L);
            }
        }
        return adoptOpen(addr, size, tag);
    }

    private Block adoptOpen(long addr, long size, Tag tag) {
        if (closed) {
            throw new IllegalStateException("heap '" + name + "' is closed");
        }
        reserve(tag, size);
        BlockImpl b = new BlockImpl(this, addr, addr, size, tag, BlockImpl.ADOPTED, false);
        BlockImpl old = Registry.add(b);
        if (old != null) {
            unreserve(tag, size);
            throw new CustodyException("adopt of 0x" + Long.toHexString(addr) + " into heap '" + name
                    + "' refused: custody already holds it as " + old + ". Nothing changed.", name, tag, size, List.of());
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
        return new HeapStats(name, total.heapFigures(ledgers), tags);
    }

    final boolean within(AbstractHeap h) {
        for (AbstractHeap x = h; x != null; x = x.parent) {
            if (x == this) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<Block> liveBlocks() {
        List<Block> out = new ArrayList<>();
        for (BlockImpl b : Registry.all()) {
            if (within(b.heap) && b.isLive()) {
                out.add(b);
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (!closable) {
            checkLeaks();
            return;
        }
        while (!GATE.compareAndSet(this, 0L, CLOSING)) {
            if ((gate & CLOSING) != 0 || closed) {
                throw new IllegalStateException("heap '" + name + "' is already closed or closing");
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
        for (BlockImpl b : Registry.all()) {
            if (within(b.heap) && b.isLive() && !b.notALeak()) {
                leaks.add(new Leak(b.heap.name, b.tag, b.size, b.address,
                        b.history == null ? null : b.history.allocation()));
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
    }

    @Override
    public int freeLeaked() {
        int n = 0;
        for (Block b : liveBlocks()) {
            BlockImpl bi = (BlockImpl) b;
            try {
                if (bi instanceof SharedCore c) {
                    if (c.drain() > 0 && c.views() == 0) {
                        bi.heap.freeOwned(bi, "free");
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
        return new ChildHeap(childName, this, limitBytes);
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
