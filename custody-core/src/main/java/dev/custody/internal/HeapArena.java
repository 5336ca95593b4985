package dev.custody.internal;

import dev.custody.Tags;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A heap seen as an {@link Arena}: each allocation is a zeroed block of the heap, owned by the
 * arena's thread, and the segment handed out is the block's own, so it dies with the block however
 * the block dies (its heap's raw free, a region's release, {@code freeLeaked()}), never outliving
 * its memory (Law 3). Closing the arena frees the blocks still live; those that died some other way
 * are skipped. Confined to the thread that made it, like {@link Arena#ofConfined()}.
 */
final class HeapArena implements Arena {
    private final AbstractHeap heap;
    /** Stands for the arena's life: alive until the arena closes. */
    private final Arena scope = Arena.ofConfined();
    private final List<BlockImpl> blocks = new ArrayList<>();
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
        return b.segment();
    }

    @Override
    public MemorySegment.Scope scope() {
        return scope.scope();
    }

    /**
     * Frees every block still live; one that died meanwhile (or dies in a race) is skipped.
     *
     * @throws WrongThreadException if called from another thread than the arena's; nothing is freed
     * @throws IllegalStateException if the arena is already closed
     * @throws dev.custody.BlockInUseException if a live block has open views: it stays live, counted
     *     in the books, and the arena's other blocks are freed
     * @throws dev.custody.FreeFailedException if a free function threw, as for the first
     */
    @Override
    public void close() {
        scope.close(); // throws on the wrong thread or if already closed, before anything is freed
        RuntimeException first = null;
        for (BlockImpl b : blocks) {
            if (b.settled() < 0) {
                continue;
            }
            try {
                b.free();
            } catch (dev.custody.DoubleFreeException | dev.custody.UseAfterFreeException raced) {
                // died some other way between the look and the free: nothing of the arena's left
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        blocks.clear();
        if (first != null) {
            throw first;
        }
    }
}
