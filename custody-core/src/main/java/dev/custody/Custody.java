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

    /**
     * The books of every open heap, now.
     *
     * @return a snapshot, to {@linkplain Snapshot#diff compare} with a later one
     */
    public static Snapshot snapshot() {
        List<HeapStats> stats = new ArrayList<>();
        for (AbstractHeap h : HeapDirectory.all()) {
            stats.add(h.stats());
        }
        return new Snapshot(Instant.now(), stats);
    }

    /**
     * Registers a {@link dev.custody.observe.HeapMXBean} for every open heap, and for every heap
     * made afterwards, as {@code dev.custody:type=Heap,name=<heap>}; a closed heap's bean is
     * unregistered. Off until called, because pools and tests make heaps by the thousand.
     */
    public static void exposeOverJmx() {
        dev.custody.internal.HeapMXBeans.enable();
    }

    /**
     * Every open heap, roots first.
     *
     * @return the open heaps, a copy
     */
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
        assertNothingOutstanding(HeapDirectory.all());
    }

    /**
     * As {@link #assertNothingOutstanding()}, for the given heaps only (and their children).
     *
     * @param heaps the heaps to check
     * @throws LeakException listing every live block, for the first heap that has some
     */
    public static void assertNothingOutstanding(Heap... heaps) {
        assertNothingOutstanding(List.of(heaps));
    }

    private static void assertNothingOutstanding(List<? extends Heap> heaps) {
        for (Heap h : heaps) {
            List<Leak> leaks = new ArrayList<>();
            for (Block b : h.liveBlocks()) {
                if (!b.isMarkedNotALeak()) {
                    leaks.add(new Leak(b.heap().name(), b.tag(), b.byteSize(), b.address(), null));
                }
            }
            if (!leaks.isEmpty()) {
                throw new LeakException(h.name(), leaks);
            }
        }
    }
}
