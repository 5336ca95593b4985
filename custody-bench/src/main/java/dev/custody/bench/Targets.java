package dev.custody.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The performance targets of custody's issues, read from one run's rows: each the CPU time of one
 * benchmark, alone or as a ratio to another of the same run, with its noise (JMH's 99.9% interval
 * of the mean, relative; a ratio's adds both rows' in quadrature) and whether it is met. A target
 * whose rows did not run is listed as not measured.
 */
final class Targets {
    /**
     * One target.
     *
     * @param what the target, as the issue words it
     * @param benchmark the measured row's method, {@code Class.method}
     * @param peer the row it is divided by, {@code Class.method}, or null for an absolute figure in ns
     * @param params the parameters both rows must have
     * @param limit the largest value that meets the target, or NaN for a figure only reported
     */
    record Target(String what, String benchmark, String peer, Map<String, String> params, double limit) {
    }

    /** Issue 12's (scoped heaps, 10^5 blocks of 64 B a level) and issue 13's (libc at 64 B) targets. */
    static final List<Target> ALL = List.of(
            new Target("SAMPLED at the default rate / OFF", "TrackingBenchmark.sampled", "TrackingBenchmark.off",
                    Map.of("size", "64"), 1.05),
            new Target("FULL, ns per allocate and free (both stacks)", "TrackingBenchmark.full", null,
                    Map.of("size", "64"), 2000),
            new Target("poisoning / the unwrapped libc heap", "DebugHeapBenchmark.poisoning", "DebugHeapBenchmark.libc",
                    Map.of("size", "64"), 1.5),
            new Target("custody's libc cycle / Arena.ofConfined() (was 1.6x; must not regress)",
                    "AllocateBenchmark.custodyLibc", "AllocateBenchmark.arenaConfined", Map.of("size", "64"), Double.NaN),
            new Target("custody's libc cycle, ns (was 42.4 ns; must not regress)", "AllocateBenchmark.custodyLibc", null,
                    Map.of("size", "64"), Double.NaN),
            new Target("region / slicingAllocator over one confined arena", "RegionBenchmark.regionRelease",
                    "RegionBenchmark.slicingAllocator", Map.of("size", "64"), 2),
            new Target("region / raw malloc and free one by one (at least 5x faster)", "RegionBenchmark.regionRelease",
                    "RegionBenchmark.rawMallocOneByOne", Map.of("size", "64"), 0.2),
            new Target("flat region / slicingAllocator over one confined arena", "RegionBenchmark.flatRegionRelease",
                    "RegionBenchmark.slicingAllocator", Map.of("size", "64"), 2),
            new Target("flat region / raw malloc and free one by one (at least 5x faster)",
                    "RegionBenchmark.flatRegionRelease", "RegionBenchmark.rawMallocOneByOne", Map.of("size", "64"), 0.2),
            new Target("frame / a confined arena per frame over a backing segment, 64 B", "FrameBenchmark.custodyFrame",
                    "FrameBenchmark.bufferStackPeer", Map.of("size", "64"), 1.1),
            new Target("frame / a confined arena per frame over a backing segment, 1 KiB", "FrameBenchmark.custodyFrame",
                    "FrameBenchmark.bufferStackPeer", Map.of("size", "1024"), 1.1));

    private final List<RatioTable.Row> rows;

    Targets(List<RatioTable.Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /** The CPU score of {@code Class.method} with these parameters in this run, if it ran. */
    private Optional<RatioTable.Score> cpu(String benchmark, Map<String, String> params) {
        return rows.stream()
                .filter(r -> (r.group() + "." + r.method()).equals(benchmark))
                .filter(r -> params.entrySet().stream().allMatch(e -> e.getValue().equals(r.params().get(e.getKey()))))
                .filter(r -> r.cpu().measured())
                .map(RatioTable.Row::cpu)
                .findFirst();
    }

    /** The value of a target in this run, if its rows ran. */
    Optional<RatioTable.Score> value(Target t) {
        Optional<RatioTable.Score> own = cpu(t.benchmark(), t.params());
        if (t.peer() == null) {
            return own;
        }
        Optional<RatioTable.Score> peer = cpu(t.peer(), t.params());
        return own.flatMap(o -> peer.map(o::over));
    }

    /** A "## Targets" section: one line per target, with its value, noise and verdict. */
    String markdown() {
        StringBuilder sb = new StringBuilder("## Targets (CPU time, this run)\n\n")
                .append("| target | value | noise | limit | verdict |\n|---|---:|---:|---:|---|\n");
        for (Target t : ALL) {
            Optional<RatioTable.Score> v = value(t);
            sb.append("| ").append(t.what()).append(" | ");
            if (v.isEmpty()) {
                sb.append("— | — | ").append(limit(t)).append(" | not measured (run its benchmarks) |\n");
                continue;
            }
            RatioTable.Score s = v.get();
            String verdict = Double.isNaN(t.limit()) ? "reported"
                    : s.median() <= t.limit() ? (Double.isNaN(s.relError()) || s.median() * (1 + s.relError()) <= t.limit()
                    ? "met" : "met by the median, within the noise") : "missed";
            sb.append(fmt(t.peer() == null ? "%.1f" : "%.3f", s.median())).append(" | ")
                    .append(Double.isNaN(s.relError()) ? "—" : fmt("± %.1f%%", 100 * s.relError())).append(" | ")
                    .append(limit(t)).append(" | ").append(verdict).append(" |\n");
        }
        return sb.append('\n').toString();
    }

    private static String limit(Target t) {
        return Double.isNaN(t.limit()) ? "—" : fmt(t.peer() == null ? "%.0f" : "%.2f", t.limit());
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
