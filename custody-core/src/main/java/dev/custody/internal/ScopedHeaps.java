package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The factories behind {@link dev.custody.Heaps}' scoped heaps. Each publishes the heap last. */
public final class ScopedHeaps {
    private static final ConcurrentHashMap<String, AtomicInteger> SERIALS = new ConcurrentHashMap<>();

    private ScopedHeaps() {
    }

    /**
     * A default name that no other heap of this kind has: {@code region-1}, {@code region-2}, so
     * that snapshots and reports can tell unnamed pools apart.
     */
    public static String serialName(String kind) {
        return kind + "-" + SERIALS.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    }

    public static Region region(String name, Heap parent, long chunkSize) {
        ChunkedRegion r = AbstractHeap.publish(new ChunkedRegion(name, parent, chunkSize));
        r.inheritTracking(parent); // after the switches' default for roots: a pool takes its parent's (issue 13)
        return r;
    }

    public static Region flatRegion(String name, long reserveBytes) {
        FlatRegion r = new FlatRegion(name, reserveBytes);
        return AbstractHeap.publish(r);
    }

    public static Slab slab(String name, Heap parent, long blockSize, int blocksPerSlab) {
        SlabHeap s = AbstractHeap.publish(new SlabHeap(name, parent, blockSize, blocksPerSlab));
        s.inheritTracking(parent); // after the switches' default for roots: a pool takes its parent's (issue 13)
        return s;
    }
}
