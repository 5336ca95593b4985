package dev.custody.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

/**
 * The forked JVM's CPU time per operation, {@value #NAME} in ns/op: a second score that the other
 * work on a shared machine disturbs much less than the wall-clock score, since time the benchmark
 * spends descheduled is not counted. It counts every thread of the fork, so it includes the GC
 * work an allocating benchmark causes (a real cost) and the few microseconds JMH spends starting
 * and stopping an iteration (negligible against a 1 s iteration).
 */
public final class CpuTimeProfiler implements InternalProfiler {
    /** Made by JMH, which loads the profiler by its class name ({@code -prof}). */
    public CpuTimeProfiler() {
    }

    /** The secondary result's name. */
    public static final String NAME = "cpu.time.norm";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long before;

    @Override
    public String getDescription() {
        return "Process CPU time per operation";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        before = os.getProcessCpuTime();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        long cpu = os.getProcessCpuTime() - before;
        long ops = result.getMetadata().getMeasuredOps();
        return ops <= 0 ? List.of()
                : List.of(new ScalarResult(NAME, (double) cpu / ops, "ns/op", AggregationPolicy.AVG));
    }
}
