package dev.custody.internal;

import dev.custody.Block;
import dev.custody.Tags;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A heap seen as an {@link Arena}: each allocation is a zeroed block of the heap, and closing the
 * arena invalidates every segment (one confined arena holds them all) and frees every block.
 * Confined to the thread that made it, like {@link Arena#ofConfined()}.
 */
final class HeapArena implements Arena {
    private final AbstractHeap heap;
    private final Arena scope = Arena.ofConfined();
    private final List<Block> blocks = new ArrayList<>();
    private final Thread owner = Thread.currentThread();

    HeapArena(AbstractHeap heap) {
        this.heap = heap;
    }

    @Override
    public MemorySegment allocate(long byteSize, long byteAlignment) {
        if (Thread.currentThread() != owner) {
            throw Errors.wrongThread(heap.name, "arena of heap '" + heap.name + "' is confined to " + owner);
        }
        if (!scope.scope().isAlive()) {
            throw Errors.illegalState(heap.name, "Already closed"); // the JDK's words for a closed arena
        }
        BlockImpl b = heap.allocateImpl(byteSize, byteAlignment, Tags.current(), true, false);
        blocks.add(b);
        return MemorySegment.ofAddress(b.address).reinterpret(byteSize, scope, null);
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    @Override
    public void close() {
        scope.close(); // throws on the wrong thread or if already closed, before anything is freed
        for (Block b : blocks) {
            b.free();
        }
        blocks.clear();
    }
}
