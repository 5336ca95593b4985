package dev.custody;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The books of every open heap at one moment: the seed's global statistics printed before and
 * after each cycle. Take one with {@link Custody#snapshot()}.
 *
 * @param at when it was taken
 * @param heaps every open heap's stats, roots first
 */
public record Snapshot(Instant at, List<HeapStats> heaps) {
    /** Copies {@code heaps}: a snapshot does not change. */
    public Snapshot {
        heaps = List.copyOf(heaps);
    }

    /**
     * The stats of the (first) heap with this name.
     *
     * @param name the heap's name
     * @return its stats, or null if no heap of the snapshot has that name
     */
    public HeapStats heap(String name) {
        return heaps.stream().filter(h -> h.heap().equals(name)).findFirst().orElse(null);
    }

    /**
     * What changed since {@code before}, per heap: the difference of every figure. Heaps are
     * matched by identity ({@link HeapStats#id()}), never by name, so two heaps of one name are two
     * lines and neither hides the other's growth. Heaps that exist in only one of the two are
     * compared against zero. A line is keyed by the heap's name, or by {@code name#id} when more
     * than one heap of the two snapshots bears that name.
     *
     * @param before the earlier snapshot
     * @return the change per heap, later minus earlier
     */
    public Diff diff(Snapshot before) {
        Map<Long, HeapStats> earlier = new LinkedHashMap<>();
        before.heaps.forEach(h -> earlier.put(h.id(), h));
        Map<String, Long> names = new java.util.HashMap<>();
        java.util.stream.Stream.concat(heaps.stream(), before.heaps.stream()).map(h -> h.heap() + "#" + h.id())
                .distinct().forEach(k -> names.merge(k.substring(0, k.lastIndexOf('#')), 1L, Long::sum));
        Map<String, Figures> d = new LinkedHashMap<>();
        for (HeapStats h : heaps) {
            HeapStats b = earlier.remove(h.id());
            d.put(key(h, names), h.total().minus(b == null ? Figures.ZERO : b.total()));
        }
        for (HeapStats b : earlier.values()) {
            d.put(key(b, names), Figures.ZERO.minus(b.total()));
        }
        return new Diff(before.at, at, d);
    }

    private static String key(HeapStats h, Map<String, Long> names) {
        return names.get(h.heap()) > 1 ? h.heap() + "#" + h.id() : h.heap();
    }

    /** A table of the live figures, one heap a line. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(String.format("%-24s %14s %10s %14s%n", "heap", "live bytes", "blocks",
                "peak bytes"));
        for (HeapStats h : heaps) {
            Figures f = h.total();
            sb.append(String.format("%-24s %14d %10d %14d%n", h.heap(), f.liveBytes(), f.liveBlocks(), f.peakBytes()));
        }
        return sb.toString();
    }

    /**
     * The change between two snapshots.
     *
     * @param from the earlier snapshot's time
     * @param to the later snapshot's time
     * @param byHeap per heap, later minus earlier
     */
    public record Diff(Instant from, Instant to, Map<String, Figures> byHeap) {
        /** Copies {@code byHeap}, keeping its order. */
        public Diff {
            byHeap = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byHeap));
        }

        /**
         * Whether nothing grew.
         *
         * @return true if no heap has more live bytes or blocks than before
         */
        public boolean noGrowth() {
            return byHeap.values().stream().allMatch(f -> f.liveBytes() <= 0 && f.liveBlocks() <= 0);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(String.format("%-24s %14s %10s %12s %12s%n", "heap", "Δ live bytes",
                    "Δ blocks", "allocations", "frees"));
            byHeap.forEach((n, f) -> sb.append(String.format("%-24s %+14d %+10d %12d %12d%n", n, f.liveBytes(),
                    f.liveBlocks(), f.allocations(), f.frees())));
            return sb.toString();
        }
    }
}
