package dev.custody;

import dev.custody.internal.AbstractHeap;
import dev.custody.internal.HeapDirectory;
import dev.custody.observe.HeapListener;

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
     * unregistered. Off until called, because pools and tests make heaps by the thousand; {@code
     * -Dcustody.jmx=true} does the same with no code, from the first heap on. See {@link
     * dev.custody.observe.HeapMXBean} for the names and attributes.
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
     * Every live block of every open heap, once each: a block of a child heap is listed once, not
     * again under its ancestors. The chunks and slabs pools hold are left out (see {@link
     * Heap#liveBlocks()}); blocks marked {@link Block#markNotALeak()} are in. For a test's
     * before-and-after: JUnit's {@code dev.custody.junit.CustodyExtension} reads it.
     *
     * @return the live blocks at this moment, a copy
     */
    public static List<Block> liveBlocks() {
        return HeapDirectory.liveBlocks();
    }

    /**
     * Tells {@code listener} of every heap published and closed from now on (see {@link
     * HeapListener}); adding the same listener twice adds it once.
     *
     * @param listener the listener
     * @throws NullPointerException if {@code listener} is null
     */
    public static void addHeapListener(HeapListener listener) {
        HeapDirectory.addListener(listener);
    }

    /**
     * Stops telling {@code listener}; nothing if it was not added.
     *
     * @param listener the listener
     */
    public static void removeHeapListener(HeapListener listener) {
        HeapDirectory.removeListener(listener);
    }

    /**
     * A deterministic presence check for tests: fails if any block of any open heap is live,
     * other than those marked {@link Block#markNotALeak()}. Unlike a GC-based detector, it needs
     * no collection to run. Nothing is freed.
     *
     * @throws LeakException listing every live block of the first heap that has some, roots first,
     *     with its tag, size and allocation site when tracked ({@code Class.method(File.java:line)});
     *     its message names the check and the heaps it read
     */
    public static void assertNothingOutstanding() {
        assertNothingOutstanding(HeapDirectory.all(), "every open heap");
    }

    /**
     * As {@link #assertNothingOutstanding()}, for the given heaps only (and their children).
     *
     * @param heaps the heaps to check
     * @throws LeakException as {@link #assertNothingOutstanding()}
     */
    public static void assertNothingOutstanding(Heap... heaps) {
        assertNothingOutstanding(List.of(heaps), "the heaps given");
    }

    private static void assertNothingOutstanding(List<? extends Heap> heaps, String which) {
        for (Heap h : heaps) {
            List<Leak> leaks = leaks(h);
            if (!leaks.isEmpty()) {
                throw new LeakException(h.name(), leaks, "Custody.assertNothingOutstanding() checked " + which
                        + " (" + heaps.size() + ": " + heaps.stream().map(x -> "'" + x.name() + "'")
                        .collect(java.util.stream.Collectors.joining(", ")) + ") for live blocks not marked"
                        + " not a leak: heap '" + h.name() + "' (with its children) has "
                        + dev.custody.internal.Words.count(leaks.size(), "live block") + ", "
                        + leaks.stream().mapToLong(Leak::size).sum() + " B; nothing was freed.");
            }
        }
    }

    /**
     * The live blocks of {@code heap} (and of its children) that are not marked {@link
     * Block#markNotALeak()}, each as a {@link Leak} with its allocation site when the heap tracked it
     * ({@link Heap#setTracking}), without closing anything: what {@link Heap#close()} would report,
     * asked while the program runs. Reads the books first, as {@link Heap#liveBlocks()} does.
     *
     * @param heap the heap to read
     * @return its leaks now, in the order of {@link Heap#liveBlocks()}; empty if there are none
     */
    public static List<Leak> leaks(Heap heap) {
        List<Leak> leaks = new ArrayList<>();
        for (Block b : heap.liveBlocks()) {
            if (!b.isMarkedNotALeak()) {
                leaks.add(new Leak(b.heap().name(), b.tag(), b.byteSize(), b.address(), b.allocationSite()));
            }
        }
        return List.copyOf(leaks);
    }
}
