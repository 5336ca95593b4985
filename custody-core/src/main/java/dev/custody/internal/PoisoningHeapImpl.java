package dev.custody.internal;

import dev.custody.Tag;
import dev.custody.debug.DebugOptions;

/**
 * {@link dev.custody.debug.DebugHeaps#poisoning}: canaries around each block carved from the base's
 * memory, poison and a quarantine for freed blocks.
 */
final class PoisoningHeapImpl extends DebugHeapImpl {
    PoisoningHeapImpl(AbstractHeap base, DebugOptions options) {
        super("debug(" + base.name() + ")", base, options);
    }

    @Override
    DebugLayout place(long size, long alignment, Tag tag, AbstractHeap home) {
        return carve(size, alignment, tag);
    }

    @Override
    void retire(BlockImpl b, DebugLayout l) {
        poison.fill(b.address, b.size);
    }

    @Override
    void retireCorrupted(DebugLayout l) {
    }

    @Override
    void unmap(Quarantine.Entry e) {
        throw new AssertionError("a poisoning heap maps nothing: " + e);
    }

    @Override
    public long guardedBlocks() {
        return 0;
    }

    @Override
    public boolean sampling() {
        return false;
    }

    @Override
    public long mappingBudget() {
        return 0;
    }
}
