package dev.custody.bench.agent;

import dev.custody.bench.Baseline;
import dev.custody.bench.JvmFlags;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * {@code ByteBuffer.allocateDirect}, written at both ends and read back, freed by its Cleaner once
 * the GC finds it (so the score carries the collection and the free too): without the agent, with
 * its exact books and sites, and at its default sampling.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AgentDirectBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public AgentDirectBenchmark() {
    }

    @Param({"64", "4096"})
    int size;

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
        ByteBuffer b = ByteBuffer.allocateDirect(size);
        b.putLong(0, stamp);
        b.putLong(size - 8, stamp + 1);
        return b.getLong(0) + b.getLong(size - 8);
    }

    /**
     * The baseline: one direct buffer's cycle, in a fork without the agent.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Baseline
    @Fork(value = 1)
    public long withoutAgent() {
        return cycle();
    }

    /**
     * One direct buffer's cycle, under the agent with every block booked and sited but no stacks
     * sampled ({@code sampleBytes=0}).
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.AGENT_NO_SAMPLES})
    public long agentExactBooks() {
        return cycle();
    }

    /**
     * One direct buffer's cycle, under the agent at its default sampling (a stack per 512 KiB on
     * average).
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.AGENT})
    public long agentDefaultSampling() {
        return cycle();
    }
}
