package dev.custody.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.ListStatistics;

import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline from a real (short, in-process) JMH run to the rows of the ratio table. */
class ResultPoolTest {
    @Test
    void poolsEveryMeasuredIterationOfEveryRoundWithItsCpuTime() throws Exception {
        // JMH's machine-wide lock keeps two benchmark runs apart; this tiny in-process run measures
        // nothing worth protecting, and must not fail because another engineer is benchmarking.
        System.setProperty("jmh.ignoreLock", "true");
        var options = new OptionsBuilder()
                .include(CustodyPathBenchmark.class.getName() + ".(raw|custody)$")
                .forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(50))
                .measurementIterations(2).measurementTime(TimeValue.milliseconds(50))
                .addProfiler(CpuTimeProfiler.class)
                .verbosity(VerboseMode.SILENT)
                .build();
        ResultPool pool = new ResultPool();
        for (int round = 0; round < 2; round++) {
            Collection<RunResult> results = new Runner(options).run();
            assertThat(results).hasSize(2);
            pool.add(results);
        }

        List<RatioTable.Row> rows = pool.rows();
        assertThat(rows).extracting(RatioTable.Row::method).containsExactlyInAnyOrder("raw", "custody");
        for (RatioTable.Row r : rows) {
            assertThat(r.iterations()).isEqualTo(4);
            assertThat(r.unit()).isEqualTo("ns/op");
            assertThat(r.wall().median()).isPositive();
            assertThat(r.cpu().median()).isPositive();
        }
        assertThat(BenchMain.baselines(rows)).containsExactly(CustodyPathBenchmark.class.getName() + ".raw");
    }

    @Test
    void scoreIsTheMedianWithTheRelativeErrorOfTheMean() {
        ListStatistics s = new ListStatistics(new double[] {10, 11, 12, 100});
        RatioTable.Score score = ResultPool.score(s);
        assertThat(score.median()).isEqualTo(11.5);
        assertThat(score.relError()).isEqualTo(s.getMeanErrorAt(0.999) / s.getMean());
        assertThat(ResultPool.score(new ListStatistics(new double[] {5, 6})).relError()).isNaN();
        assertThat(ResultPool.score(new ListStatistics()).measured()).isFalse();
    }
}
