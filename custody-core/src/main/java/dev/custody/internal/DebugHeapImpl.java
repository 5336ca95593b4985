package dev.custody.internal;

import dev.custody.Block;
import dev.custody.Tag;
import dev.custody.UnknownBlockException;
import dev.custody.debug.Corruption;
import dev.custody.debug.DebugHeap;
import dev.custody.debug.DebugOptions;
import dev.custody.debug.HeapCorruptionException;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What both debug heaps share: canaries, poison and a quarantine over a base heap's memory. It
 * stands in for its base (same owner, books rolled up into the base's, like a child). Its memory
 * comes from the base's {@linkplain MemorySource memory source}, so a block and its canaries are
 * one allocation of the base allocator's and never a block of the base heap's: not registered,
 * booked or tracked there. A base without a source (a region, another debug heap) gives the memory
 * as a block of its own made by {@link AbstractHeap#newBlock}, which is not registered or tracked
 * either. Each mode is its own class: {@link PoisoningHeapImpl} and {@link GuardedHeapImpl}. The
 * contract is in {@link dev.custody.debug.DebugHeaps}.
 */
public abstract sealed class DebugHeapImpl extends AbstractHeap implements DebugHeap
        permits PoisoningHeapImpl, GuardedHeapImpl {
    /** Canary bytes on each side of a block from the base allocator; keeps 16-byte alignment. */
    private static final long CANARY_BYTES = 16;

    final AbstractHeap base;
    private final DebugOptions options;
    final Pattern poison;
    private final Pattern canary = Pattern.of(DebugOptions.CANARY);
    private final Quarantine quarantine;
    private final List<Corruption> corruptions = new CopyOnWriteArrayList<>();
    /** Corruptions {@link #verify()} found in blocks still in quarantine, so they are reported once. */
    private final Map<Quarantine.Entry, Corruption> found = new ConcurrentHashMap<>();

    DebugHeapImpl(String name, AbstractHeap base, DebugOptions options) {
        super(name, base, Long.MAX_VALUE, true);
        this.base = base;
        this.options = options;
        this.poison = Pattern.of(options.poison());
        this.quarantine = new Quarantine(options.quarantineBlocks(), options.quarantineBytes());
        base.wrappedBy(this, true);
    }

    public static DebugHeapImpl poisoning(AbstractHeap base, DebugOptions options) {
        return publish(new PoisoningHeapImpl(base, options));
    }

    public static DebugHeapImpl guarded(AbstractHeap base, DebugOptions options) {
        return publish(GuardedHeapImpl.create(base, options));
    }

    // ---- what each mode supplies -----------------------------------------------------------

    /** The memory of a new block with room for its canaries, or null if the allocator returned NULL. */
    abstract DebugLayout place(long size, long alignment, Tag tag, AbstractHeap home);

    /** A freed block whose canaries held: poisoned, or its guarded pages made inaccessible. */
    abstract void retire(BlockImpl b, DebugLayout l);

    /** A freed block whose canaries changed: a guarded mapping goes; carved memory is withheld for good. */
    abstract void retireCorrupted(DebugLayout l);

    /** A guarded mapping leaves the quarantine. */
    abstract void unmap(Quarantine.Entry e);

    /** A line of the ring file, for a guarded heap that has one. */
    void log(int kind, BlockImpl b, DebugLayout l, String site) {
    }

    /** Whether {@link #log} writes anything: only then is a free's site taken for it. */
    boolean logs() {
        return false;
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    final BlockImpl newBlock(AbstractHeap home, long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        if (shared && !countable()) {
            throw Errors.countedOnRegion(name, base.name); // a region's release would kill it under its count
        }
        DebugLayout l = place(size, alignment, tag, home);
        if (l == null) {
            return null;
        }
        long address = l.start() + l.front();
        canary.fill(l.start(), l.front());
        canary.fill(address + size, l.tail());
        if (zeroed) {
            MemorySegment.ofAddress(address).reinterpret(size).fill((byte) 0);
        }
        BlockImpl b = makeBlock(home, address, size, tag, BlockImpl.CUSTODY_LAYOUT, shared);
        b.layout = l; // before the block is registered, and so before any other thread sees it
        if (l.source() == null) {
            base.carvedFor(l.inner(), b); // a region's release must kill this block, not the memory's
        }
        if (logs()) {
            log(RingFile.ALLOCATE, b, l, home.tracking() == dev.custody.Tracking.OFF ? ""
                    : Sites.capture("allocate").caller());
        }
        return b;
    }

    /** Memory from the base allocator with room for the canaries; null if it returned NULL. */
    final DebugLayout carve(long size, long alignment, Tag tag) {
        long front = Math.max(CANARY_BYTES, alignment);
        long length = front + size + CANARY_BYTES;
        MemorySource s = base.source();
        if (s != null) {
            long start = s.allocate(length, alignment, tag);
            return start == 0 ? null : new DebugLayout(s, null, s.layout(alignment), start, length, front, CANARY_BYTES);
        }
        BlockImpl inner = base.newBlock(base, length, alignment, tag, false, false);
        return inner == null ? null
                : new DebugLayout(null, inner, 0, inner.address, inner.size, front, CANARY_BYTES);
    }

    /** Carved memory back to the base, however it was taken. */
    private void giveBack(DebugLayout l) {
        if (l.source() != null) {
            l.source().release(l.start(), l.length(), l.layout());
        } else {
            base.release(l.inner());
        }
    }

    @Override
    final void release(BlockImpl b) {
        DebugLayout l = b.layout;
        if (l == null) {
            base.release(b); // adopted: plain memory of the base allocator
            return;
        }
        if (logs()) { // the free is recorded in the history only once it went through: take its site here
            log(RingFile.FREE, b, l, b.history == null ? "" : Sites.capture("free").caller());
        }
        Corruption c = checkCanaries(b, l, null);
        if (c != null) {
            retireCorrupted(l); // carved memory is withheld from the allocator for good: see DebugHeaps
            report(c);
            throw new HeapCorruptionException(c);
        }
        retire(b, l);
        // In the quarantine while the block is still pending: once the registry stops finding the
        // address, the quarantine does, until the memory goes back.
        List<Quarantine.Entry> out = quarantine.add(new Quarantine.Entry(b, l, Thread.currentThread().getName()));
        for (Quarantine.Entry old : out) {
            dispose(old);
        }
    }

    /** A block leaves the quarantine: checked, then given back. */
    private void dispose(Quarantine.Entry e) {
        DebugLayout l = e.layout();
        if (l.guarded()) {
            unmap(e);
            return;
        }
        Corruption c = found.isEmpty() ? null : found.remove(e);
        if (c == null && (c = check(e)) != null) {
            report(c);
        }
        if (c != null && c.kind() != Corruption.Kind.WRITE_AFTER_FREE) {
            return; // a canary changed after the free: withheld, like an overrun found at free
        }
        giveBack(l);
    }

    /** The first corruption of a quarantined (poisoned, unguarded) block, or null. */
    private Corruption check(Quarantine.Entry e) {
        BlockImpl b = e.block();
        long at = poison.mismatch(b.address, b.size);
        if (at >= 0) {
            return DebugReports.corruption(Corruption.Kind.WRITE_AFTER_FREE, b, at, e.freedBy());
        }
        return checkCanaries(b, e.layout(), e.freedBy());
    }

    private Corruption checkCanaries(BlockImpl b, DebugLayout l, String freedBy) {
        long at = canary.mismatch(l.start(), l.front());
        if (at >= 0) {
            return DebugReports.corruption(Corruption.Kind.UNDERRUN, b, at - l.front(), freedBy);
        }
        at = canary.mismatch(b.address + b.size, l.tail());
        return at < 0 ? null : DebugReports.corruption(Corruption.Kind.OVERRUN, b, b.size + at, freedBy);
    }

    private void report(Corruption c) {
        corruptions.add(c);
        try {
            options.listener().corrupted(c);
        } catch (RuntimeException ignored) {
            // a listener must not throw; the report is kept whatever it does
        }
    }

    /**
     * For a pool under this heap that gives its memory back (a region's release or close, a slab's
     * close): every quarantined block leaves, checked, before the memory it lies in is gone.
     */
    final void disposeQuarantine() {
        for (Quarantine.Entry e : quarantine.drain()) {
            dispose(e);
        }
    }

    @Override
    public final Object ownerKey() {
        return base.ownerKey();
    }

    /** What the base can carve, less the canaries: a slab of 64 B slots gives blocks of up to 32 B. */
    @Override
    long maxSize() {
        return base.maxSize() - 2 * CANARY_BYTES;
    }

    // ---- the checks callers reach ----------------------------------------------------------

    @Override
    public void free(MemorySegment address) {
        requireNativeAccess("free(MemorySegment)");
        long addr = Objects.requireNonNull(address, "address").address();
        for (;;) {
            if (Registry.find(addr) == null) {
                Quarantine.Entry e = quarantine.find(addr); // the misuse path only: a scan of the quarantine
                if (e != null) {
                    throw DebugReports.rawDoubleFree(name, e);
                }
            }
            try {
                super.free(address);
                return;
            } catch (UnknownBlockException unknown) {
                if (quarantine.find(addr) == null) {
                    throw unknown;
                } // freed by another thread between the two looks: a double free, reported as one
            }
        }
    }

    @Override
    public Block reallocate(Block block, long newSize) {
        BlockImpl b = cast(block);
        DebugLayout l = b.heap == this && b.isLive() ? b.layout : null;
        Corruption c = l == null ? null : checkCanaries(b, l, null);
        if (c != null) {
            report(c);
            throw new HeapCorruptionException(c);
        }
        return super.reallocate(block, newSize);
    }

    @Override
    public void verify() {
        for (Quarantine.Entry e : quarantine.entries()) {
            if (!e.layout().guarded() && !found.containsKey(e)) {
                Corruption c = check(e);
                if (c != null) {
                    found.put(e, c);
                    report(c);
                }
            }
        }
        throwIfCorrupted();
    }

    private void throwIfCorrupted() {
        if (corruptions.isEmpty()) {
            return;
        }
        HeapCorruptionException first = new HeapCorruptionException(corruptions.getFirst());
        corruptions.stream().skip(1).forEach(c -> first.addSuppressed(new HeapCorruptionException(c)));
        throw first;
    }

    @Override
    public void close() {
        super.close();
        throwIfCorrupted();
    }

    @Override
    void onClose() {
        super.onClose();
        base.wrappedBy(this, false);
        disposeQuarantine();
    }

    @Override
    public List<Corruption> corruptions() {
        return List.copyOf(corruptions);
    }

    @Override
    public int quarantinedBlocks() {
        return quarantine.size();
    }

}
