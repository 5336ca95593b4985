package dev.custody;

import dev.custody.internal.AbstractHeap;
import dev.custody.internal.HeapDirectory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Process-wide views over every open heap. */
public final class Custody {
    private Custody() {
    }

    /** The books of every open heap, now. */
    public static Snapshot snapshot() {
        List<HeapStats> stats = new ArrayList<>();
        for (AbstractHeap h : HeapDirectory.all()) {
            stats.add(h.stats());
        }
        return new Snapshot(Instant.now(), stats);
    }

    /** Every open heap, roots first. */
    public static List<Heap> heaps() {
        return List.copyOf(HeapDirectory.all());
    }

    /**
     * A deterministic presence check for tests: fails if any block of any open heap is live,
     * other than those marked {@link Block#markNotALeak()}. Unlike a GC-based detector, it needs
     * no collection to run.
     *
     * @throws LeakException listing every live block, for the first heap that has some
     */
    public static void assertNothingOutstanding() {
        for (AbstractHeap h : HeapDirectory.all()) {
            List<Leak> leaks = new ArrayList<>();
            for (Block b : h.liveBlocks()) {
                if (b.heap() == h && !((dev.custody.internal.BlockImpl) b).isMarkedNotALeak()) {
                    leaks.add(new Leak(h.name(), b.tag(), b.byteSize(), b.address(), null));
                }
            }
            if (!leaks.isEmpty()) {
                throw new LeakException(h.name(), leaks);
            }
        }
    }
}
