package dev.custody.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Benchmark scores as ratios to their class's {@linkplain Baseline baseline}, one markdown table per
 * benchmark class. A row's baseline is the baseline method's row whose parameters all have the
 * row's values (the baseline may take fewer parameters than the others of its class). Both the
 * wall-clock score and, where measured, the CPU time per operation are compared, by the medians of
 * their measured iterations: on a machine shared with other work, a few iterations are slowed by
 * it many times over, and a median is not moved by them as a mean is.
 */
final class RatioTable {
    /**
     * A measured figure.
     *
     * @param median the median of the measured iterations
     * @param relError the half-width of the 99.9% confidence interval of the mean, relative to the
     *     mean: how noisy the iterations were; NaN if there were too few
     */
    record Score(double median, double relError) {
        static final Score NONE = new Score(Double.NaN, Double.NaN);

        boolean measured() {
            return !Double.isNaN(median);
        }

        /** {@code this / base} by medians, with the relative errors of both added in quadrature. */
        Score over(Score base) {
            return new Score(median / base.median, Math.hypot(relError, base.relError));
        }
    }

    /**
     * One measured benchmark.
     *
     * @param benchmark the fully qualified method, {@code package.Class.method}
     * @param params the JMH parameters of this run, by name
     * @param wall the primary (wall-clock) score, in {@code unit}
     * @param unit the primary score's unit, such as {@code ns/op}
     * @param cpu CPU time per operation in ns ({@link CpuTimeProfiler}), or {@link Score#NONE}
     * @param iterations how many measured iterations the scores pool
     */
    record Row(String benchmark, Map<String, String> params, Score wall, String unit, Score cpu, long iterations) {
        Row {
            params = new TreeMap<>(params);
        }

        String group() {
            String cls = benchmark.substring(0, benchmark.lastIndexOf('.'));
            return cls.substring(cls.lastIndexOf('.') + 1);
        }

        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        String paramText() {
            StringBuilder sb = new StringBuilder();
            params.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append('=').append(v));
            return sb.toString();
        }

        boolean covers(Row baseline) {
            return baseline.params.entrySet().stream().allMatch(e -> e.getValue().equals(params.get(e.getKey())));
        }
    }

    private final List<Row> rows;
    private final Set<String> baselines;

    /**
     * @param rows the results, in any order
     * @param baselines the fully qualified baseline methods ({@code package.Class.method})
     */
    RatioTable(List<Row> rows, Set<String> baselines) {
        this.rows = List.copyOf(rows);
        this.baselines = Set.copyOf(baselines);
    }

    /** The baseline row this row is measured against, if its class has a baseline that ran. */
    Optional<Row> baselineOf(Row row) {
        return rows.stream()
                .filter(b -> baselines.contains(b.benchmark()) && b.group().equals(row.group()) && row.covers(b))
                .findFirst();
    }

    /** One "## Class" section per benchmark class; rows by parameters, then baseline first, then score. */
    String markdown() {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder();
        groups.forEach((group, list) -> {
            sb.append("## ").append(group).append("\n\n")
                    .append("| benchmark | params | median | noise | ratio to baseline | cpu ns/op | cpu ratio |\n")
                    .append("|---|---|---:|---:|---:|---:|---:|\n");
            list.stream().sorted(Comparator.comparing(this::baselineParams)
                            .thenComparing(r -> !baselines.contains(r.benchmark()))
                            .thenComparingDouble(r -> r.wall().median()))
                    .forEach(r -> line(sb, r));
            sb.append('\n');
        });
        return sb.toString();
    }

    /** Sorting key: the parameters the baseline shares, so that each baseline heads its own rows. */
    private String baselineParams(Row r) {
        return baselineOf(r).map(Row::paramText).orElse(r.paramText());
    }

    private void line(StringBuilder sb, Row r) {
        boolean isBaseline = baselines.contains(r.benchmark());
        sb.append("| ").append(r.method()).append(isBaseline ? " (baseline)" : "")
                .append(" | ").append(r.paramText())
                .append(" | ").append(fmt("%.1f %s", r.wall().median(), r.unit()))
                .append(" | ").append(Double.isNaN(r.wall().relError()) ? "—" : fmt("± %.0f%%", 100 * r.wall().relError()))
                .append(" | ").append(ratio(r, isBaseline, Row::wall))
                .append(" | ").append(r.cpu().measured() ? fmt("%.1f", r.cpu().median()) : "—")
                .append(" | ").append(r.cpu().measured() ? ratio(r, isBaseline, Row::cpu) : "—")
                .append(" |\n");
    }

    private String ratio(Row r, boolean isBaseline, Function<Row, Score> figure) {
        if (isBaseline) {
            return "1.00";
        }
        return baselineOf(r).filter(b -> figure.apply(b).measured()).map(b -> {
            Score q = figure.apply(r).over(figure.apply(b));
            return Double.isNaN(q.relError()) ? fmt("%.2f", q.median())
                    : fmt("%.2f ± %.2f", q.median(), q.median() * q.relError());
        }).orElse("—");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
