package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;

/** The factories behind {@link dev.custody.Heaps}' scoped heaps. */
public final class ScopedHeaps {
    private ScopedHeaps() {
    }

    public static Region region(String name, Heap parent, long chunkSize) {
        return new ChunkedRegion(name, parent, chunkSize);
    }

    public static Region flatRegion(String name, long reserveBytes) {
        return new FlatRegion(name, reserveBytes);
    }

    public static Slab slab(String name, Heap parent, long blockSize, int blocksPerSlab) {
        return new SlabHeap(name, parent, blockSize, blocksPerSlab);
    }
}
