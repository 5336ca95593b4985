package dev.custody.internal;

import dev.custody.Tag;

/**
 * An accounted sub-heap with a limit: Arrow's allocator tree with per-tag books at every level.
 * Memory comes from, and goes back to, the parent's allocator, so it is the parent's owner.
 */
final class ChildHeap extends AbstractHeap {
    ChildHeap(String name, AbstractHeap parent, long limit) {
        super(name, parent, limit, true);
    }

    @Override
    BlockImpl newBlock(AbstractHeap home, long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        return parent.newBlock(home, size, alignment, tag, zeroed, shared);
    }

    @Override
    void release(BlockImpl b) {
        parent.release(b);
    }

    /** The parent's: a debug heap over a child takes its memory where the child does. */
    @Override
    MemorySource source() {
        return parent.source();
    }

    @Override
    boolean canReallocateNatively() {
        return parent.canReallocateNatively();
    }

    @Override
    long nativeReallocate(BlockImpl b, long newSize) {
        return parent.nativeReallocate(b, newSize);
    }

    @Override
    public Object ownerKey() {
        return parent.ownerKey();
    }

    @Override
    long maxSize() {
        return parent.maxSize();
    }
}
