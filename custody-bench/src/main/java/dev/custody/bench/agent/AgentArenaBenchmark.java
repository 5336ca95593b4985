package dev.custody.bench.agent;

import dev.custody.bench.Baseline;
import dev.custody.bench.JvmFlags;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@code Arena.ofConfined()}, one 64 B segment allocated, written at both ends, read back, and the
 * arena closed: without the agent, with its exact books and sites, and at its default sampling.
 * Under the agent the arena is an owner in its own right: it is recorded, and its close seen.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AgentArenaBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public AgentArenaBenchmark() {
    }

    private static final long SIZE = 64;
    private long stamp;

    /**
     * Checks that this fork runs under the agent exactly when its method is not {@code withoutAgent}
     * (a missing agent must not pass for a cheap one), and takes the stamp the cycles write.
     *
     * @param params the benchmark JMH is running, whose method name says whether the agent is expected
     * @throws IllegalStateException if the agent's presence is not what the method's fork asked for
     */
    @Setup
    public void setUp(BenchmarkParams params) {
        AgentState.check(params);
        stamp = System.nanoTime();
    }

    private long cycle() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(SIZE);
            s.set(ValueLayout.JAVA_LONG, 0, stamp);
            s.set(ValueLayout.JAVA_LONG, SIZE - 8, stamp + 1);
            return s.get(ValueLayout.JAVA_LONG, 0) + s.get(ValueLayout.JAVA_LONG, SIZE - 8);
        }
    }

    /**
     * The baseline: one confined arena's cycle, in a fork without the agent.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Baseline
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS})
    public long withoutAgent() {
        return cycle();
    }

    /**
     * One confined arena's cycle, under the agent with every block booked and sited but no stacks
     * sampled ({@code sampleBytes=0}).
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.AGENT_NO_SAMPLES})
    public long agentExactBooks() {
        return cycle();
    }

    /**
     * One confined arena's cycle, under the agent at its default sampling (a stack per 512 KiB on
     * average).
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.AGENT})
    public long agentDefaultSampling() {
        return cycle();
    }
}
