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
 * A debug heap: canaries, poison and a quarantine over a base heap's allocator, and optionally
 * guard pages. It stands in for its base (same owner, books rolled up into the base's, like a
 * child). The contract is in {@link dev.custody.debug.DebugHeaps}.
 */
public final class DebugHeapImpl extends AbstractHeap implements DebugHeap {
    /** Canary bytes on each side of a block from the base allocator; keeps 16-byte alignment. */
    private static final long CANARY_BYTES = 16;

    private final AbstractHeap base;
    private final DebugOptions options;
    private final Pattern poison;
    private final Pattern canary = Pattern.of(DebugOptions.CANARY);
    private final Quarantine quarantine;
    /** Null for a poisoning heap. */
    private final GuardPages guards;
    /** Null without a ring file. */
    private final RingFile ring;
    /** The layout of every live block this heap allocated, by address (adopted blocks have none). */
    private final ConcurrentHashMap<Long, DebugLayout> layouts = new ConcurrentHashMap<>();
    private final List<Corruption> corruptions = new CopyOnWriteArrayList<>();
    /** Corruptions {@link #verify()} found in blocks still in quarantine, so they are reported once. */
    private final Map<Quarantine.Entry, Corruption> found = new ConcurrentHashMap<>();

    private DebugHeapImpl(String name, AbstractHeap base, DebugOptions options, GuardPages guards, RingFile ring) {
        super(name, base, Long.MAX_VALUE, true);
        this.base = base;
        this.options = options;
        this.poison = Pattern.of(options.poison());
        this.quarantine = new Quarantine(options.quarantineBlocks(), options.quarantineBytes());
        this.guards = guards;
        this.ring = ring;
        base.wrappedBy(this, true);
    }

    public static DebugHeapImpl poisoning(AbstractHeap base, DebugOptions options) {
        DebugHeapImpl h = new DebugHeapImpl("debug(" + base.name() + ")", base, options, null, null);
        return publish(h);
    }

    public static DebugHeapImpl guarded(AbstractHeap base, DebugOptions options) {
        long budget = options.maxMappings() > 0 ? options.maxMappings()
                : (long) (Mman.maxMapCount() * options.mapShare());
        GuardPages guards = new GuardPages(budget, options.sampleEvery());
        RingFile ring = options.ringFile() == null ? null : RingFile.create(options.ringFile(), options.ringCapacity());
        DebugHeapImpl h = new DebugHeapImpl("guarded(" + base.name() + ")", base, options, guards, ring);
        return publish(h);
    }

    // ---- memory ----------------------------------------------------------------------------

    @Override
    BlockImpl newBlock(AbstractHeap home, long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        if (shared && !countable()) {
            throw Errors.countedOnRegion(name, base.name); // a region's release would kill it under its count
        }
        if (guards != null) {
            base.admit("allocate"); // a mapping of its own: no carve of the base's checks the thread
        }
        DebugLayout l = guards == null ? null : guards.map(size, alignment);
        if (l == null) {
            l = carve(size, alignment, tag);
            if (l == null) {
                return null;
            }
        }
        long address = l.start() + l.front();
        canary.fill(l.start(), l.front());
        canary.fill(address + size, l.tail());
        if (zeroed) {
            MemorySegment.ofAddress(address).reinterpret(size).fill((byte) 0);
        }
        BlockImpl b = shared ? new SharedCore(home, address, l.start(), size, tag, BlockImpl.CUSTODY_LAYOUT)
                : new BlockImpl(home, address, l.start(), size, tag, BlockImpl.CUSTODY_LAYOUT, false);
        layouts.put(address, l);
        base.carvedFor(l.inner(), b);
        log(RingFile.ALLOCATE, b, l, b.history == null ? "" : b.history.allocation().caller());
        return b;
    }

    /** Memory from the base allocator with room for the canaries; null if it returned NULL. */
    private DebugLayout carve(long size, long alignment, Tag tag) {
        long front = Math.max(CANARY_BYTES, alignment);
        BlockImpl inner = base.newBlock(base, front + size + CANARY_BYTES, alignment, tag, false, false);
        return inner == null ? null : new DebugLayout(inner, inner.address, inner.size, front, CANARY_BYTES);
    }

    @Override
    void release(BlockImpl b) {
        DebugLayout l = layouts.get(b.address);
        if (l == null) {
            base.release(b); // adopted: plain memory of the base allocator
            return;
        }
        // the free is recorded in the history only once it went through: take its site here
        log(RingFile.FREE, b, l, b.history == null ? "" : Sites.capture("free").caller());
        Corruption c = checkCanaries(b, l, null);
        if (c != null) {
            layouts.remove(b.address, l);
            if (l.guarded()) {
                guards.retire(l);
                guards.unmap(l);
            } // else withheld from the allocator for good: see DebugHeaps
            report(c);
            throw new HeapCorruptionException(c);
        }
        if (l.guarded()) {
            guards.retire(l);
        } else {
            poison.fill(b.address, b.size);
        }
        List<Quarantine.Entry> out = quarantine.add(new Quarantine.Entry(b, l, Thread.currentThread().getName()));
        layouts.remove(b.address, l); // only now: a racing raw free waits while the address is in neither
        for (Quarantine.Entry old : out) {
            dispose(old);
        }
    }

    /** A block leaves the quarantine: checked, then given back. */
    private void dispose(Quarantine.Entry e) {
        DebugLayout l = e.layout();
        if (l.guarded()) {
            guards.unmap(l);
            log(RingFile.UNMAP, e.block(), l, "");
            return;
        }
        Corruption c = found.remove(e);
        if (c == null && (c = check(e)) != null) {
            report(c);
        }
        if (c != null) {
            if (c.kind() != Corruption.Kind.WRITE_AFTER_FREE) {
                return; // a canary changed after the free: withheld, like an overrun found at free
            }
        }
        base.release(l.inner());
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

    private void log(int kind, BlockImpl b, DebugLayout l, String site) {
        if (ring != null) {
            ring.write(kind, l.guarded(), b.heap.name, b.tag.name(), b.size, b.address, site);
        }
    }

    /**
     * For a pool under this heap that gives its memory back (a region's release or close, a slab's
     * close): every quarantined block leaves, checked, before the memory it lies in is gone.
     */
    void disposeQuarantine() {
        for (Quarantine.Entry e : quarantine.drain()) {
            dispose(e);
        }
    }

    @Override
    public Object ownerKey() {
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
                Quarantine.Entry e = quarantine.find(addr);
                if (e != null) {
                    throw DebugReports.rawDoubleFree(name, e);
                }
                if (layouts.containsKey(addr)) {
                    // Being freed (or allocated) by another thread, between the registry and the
                    // quarantine: a few instructions.
                    Thread.onSpinWait();
                    continue;
                }
            }
            try {
                super.free(address);
                return;
            } catch (UnknownBlockException unknown) {
                if (!layouts.containsKey(addr) && quarantine.find(addr) == null) {
                    throw unknown;
                } // it left the registry between the two looks: look again
            }
        }
    }

    @Override
    public Block reallocate(Block block, long newSize) {
        BlockImpl b = cast(block);
        DebugLayout l = b.heap == this && b.isLive() ? layouts.get(b.address) : null;
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
        if (ring != null) {
            ring.close();
        }
    }

    @Override
    public List<Corruption> corruptions() {
        return List.copyOf(corruptions);
    }

    @Override
    public int quarantinedBlocks() {
        return quarantine.size();
    }

    @Override
    public long guardedBlocks() {
        return guards == null ? 0 : guards.live();
    }

    @Override
    public boolean sampling() {
        return guards != null && guards.sampling();
    }

    @Override
    public long mappingBudget() {
        return guards == null ? 0 : guards.budget;
    }
}
