package dev.custody.bench.agent;

import dev.custody.bench.Baseline;
import dev.custody.bench.JvmFlags;
import java.lang.reflect.Field;
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
 * {@code sun.misc.Unsafe} allocate, write, read and free of 64 B, as Netty and Arrow do it: without
 * the agent, with its exact books and sites only, and at its default sampling. The agent's target:
 * exact books and sites add at most 30 ns to the pair, and default sampling at most 5% on top; and
 * the same with a JFR recording of the agent's events on.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@SuppressWarnings("removal")
public class AgentUnsafeBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public AgentUnsafeBenchmark() {
    }

    private static final long SIZE = 64;
    private sun.misc.Unsafe unsafe;
    private long stamp;

    /**
     * Checks that this fork runs under the agent exactly when its method is not {@code withoutAgent}
     * (a missing agent must not pass for a cheap one), and takes the stamp the cycles write.
     *
     * @param params the benchmark JMH is running, whose method name says whether the agent is expected
     * @throws IllegalStateException if the agent's presence is not what the method's fork asked for
     * @throws ReflectiveOperationException if {@code sun.misc.Unsafe.theUnsafe} cannot be read
     */
    @Setup
    public void setUp(BenchmarkParams params) throws ReflectiveOperationException {
        AgentState.check(params);
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        unsafe = (sun.misc.Unsafe) f.get(null);
        stamp = System.nanoTime();
    }

    private long cycle() {
        long p = unsafe.allocateMemory(SIZE);
        unsafe.putLong(p, stamp);
        unsafe.putLong(p + SIZE - 8, stamp + 1);
        long r = unsafe.getLong(p) + unsafe.getLong(p + SIZE - 8);
        unsafe.freeMemory(p);
        return r;
    }

    /**
     * The baseline: one Unsafe allocate, write, read and free, in a fork without the agent.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Baseline
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.UNSAFE_ALLOW})
    public long withoutAgent() {
        return cycle();
    }

    /**
     * One Unsafe allocate, write, read and free, under the agent with every block booked and sited but no stacks
     * sampled ({@code sampleBytes=0}).
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.UNSAFE_ALLOW, JvmFlags.AGENT_NO_SAMPLES})
    public long agentExactBooks() {
        return cycle();
    }

    /**
     * One Unsafe allocate, write, read and free, under the agent at its default sampling (a stack per 512 KiB on
     * average).
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.UNSAFE_ALLOW, JvmFlags.AGENT})
    public long agentDefaultSampling() {
        return cycle();
    }

    /**
     * The default sampling with a JFR recording on: each sample is a dev.custody.Allocation event with its stack.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = {JvmFlags.UNSAFE_ALLOW, JvmFlags.AGENT, JvmFlags.JFR})
    public long agentWithJfr() {
        return cycle();
    }
}
