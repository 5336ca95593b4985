package dev.custody.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.ListStatistics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The measured iterations of one or more JMH runs, pooled per benchmark and parameters, so that
 * rounds run at different times (under different load from other work) make one figure each.
 */
final class ResultPool {
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private static final class Entry {
        final String benchmark;
        final Map<String, String> params;
        final String unit;
        final ListStatistics wall = new ListStatistics();
        final ListStatistics cpu = new ListStatistics();

        Entry(String benchmark, Map<String, String> params, String unit) {
            this.benchmark = benchmark;
            this.params = params;
            this.unit = unit;
        }
    }

    /** Adds every measured iteration of every fork of these results. */
    void add(Collection<RunResult> results) {
        for (RunResult run : results) {
            BenchmarkParams p = run.getParams();
            Map<String, String> params = new LinkedHashMap<>();
            for (String key : p.getParamsKeys()) {
                params.put(key, p.getParam(key));
            }
            Entry e = entries.computeIfAbsent(p.getBenchmark() + params,
                    k -> new Entry(p.getBenchmark(), params, run.getPrimaryResult().getScoreUnit()));
            for (BenchmarkResult fork : run.getBenchmarkResults()) {
                for (IterationResult it : fork.getIterationResults()) {
                    e.wall.addValue(it.getPrimaryResult().getScore());
                    Result<?> cpu = it.getSecondaryResults().get(CpuTimeProfiler.NAME);
                    if (cpu != null) {
                        e.cpu.addValue(cpu.getScore());
                    }
                }
            }
        }
    }

    /** One row per benchmark and parameters, in the order first seen. */
    List<RatioTable.Row> rows() {
        List<RatioTable.Row> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            out.add(new RatioTable.Row(e.benchmark, e.params, score(e.wall), e.unit, score(e.cpu), e.wall.getN()));
        }
        return out;
    }

    /** The median, with the 99.9% confidence half-width of the mean relative to the mean. */
    static RatioTable.Score score(ListStatistics s) {
        if (s.getN() == 0) {
            return RatioTable.Score.NONE;
        }
        double relError = s.getN() > 2 ? s.getMeanErrorAt(0.999) / s.getMean() : Double.NaN;
        return new RatioTable.Score(s.getPercentile(50), relError);
    }
}
