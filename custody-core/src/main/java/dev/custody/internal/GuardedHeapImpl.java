package dev.custody.internal;

import dev.custody.Tag;
import dev.custody.debug.DebugOptions;

/**
 * {@link dev.custody.debug.DebugHeaps#guarded}: each block on pages of its own against a guard
 * page, within a budget of mappings; past the budget, the blocks not sampled for a guard get
 * canaries and poison from the base's memory, as on a poisoning heap. The last events go to the
 * ring file when the options name one.
 */
final class GuardedHeapImpl extends DebugHeapImpl {
    private final GuardPages guards;
    /** Null without a ring file ({@link DebugOptions#withRing}). */
    private final RingFile ring;

    private GuardedHeapImpl(AbstractHeap base, DebugOptions options, GuardPages guards, RingFile ring) {
        super("guarded(" + base.name() + ")", base, options);
        this.guards = guards;
        this.ring = ring;
    }

    static GuardedHeapImpl create(AbstractHeap base, DebugOptions options) {
        long budget = options.maxMappings() > 0 ? options.maxMappings()
                : (long) (Mman.maxMapCount() * options.mapShare());
        GuardPages guards = new GuardPages(budget, options.sampleEvery());
        RingFile ring = options.ringFile() == null ? null : RingFile.create(options.ringFile(), options.ringCapacity());
        return new GuardedHeapImpl(base, options, guards, ring);
    }

    @Override
    DebugLayout place(long size, long alignment, Tag tag, AbstractHeap home) {
        base.admit("allocate"); // a mapping of its own: no carve of the base's checks the thread
        DebugLayout l = guards.map(size, alignment);
        return l != null ? l : carve(size, alignment, tag);
    }

    @Override
    void retire(BlockImpl b, DebugLayout l) {
        if (l.guarded()) {
            guards.retire(l);
        } else {
            poison.fill(b.address, b.size);
        }
    }

    @Override
    void retireCorrupted(DebugLayout l) {
        if (l.guarded()) {
            guards.retire(l);
            guards.unmap(l);
        }
    }

    @Override
    void unmap(Quarantine.Entry e) {
        guards.unmap(e.layout());
        log(RingFile.UNMAP, e.block(), e.layout(), "");
    }

    @Override
    boolean logs() {
        return ring != null;
    }

    @Override
    void log(int kind, BlockImpl b, DebugLayout l, String site) {
        if (ring != null) {
            ring.write(kind, l.guarded(), b.heap.name, b.tag.name(), b.size, b.address, site);
        }
    }

    @Override
    void onClose() {
        super.onClose();
        if (ring != null) {
            ring.close();
        }
    }

    @Override
    public long guardedBlocks() {
        return guards.live();
    }

    @Override
    public boolean sampling() {
        return guards.sampling();
    }

    @Override
    public long mappingBudget() {
        return guards.budget;
    }
}
