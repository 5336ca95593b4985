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
    @Param({"64", "4096"})
    int size;

    private long stamp;

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

    @Benchmark
    @Baseline
    @Fork(value = 1)
    public long withoutAgent() {
        return cycle();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.AGENT_NO_SAMPLES})
    public long agentExactBooks() {
        return cycle();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.AGENT})
    public long agentDefaultSampling() {
        return cycle();
    }
}
