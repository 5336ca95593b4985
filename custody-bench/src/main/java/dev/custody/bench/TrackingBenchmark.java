package dev.custody.bench;

import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.Tracking;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/**
 * Tracking levels: custody's allocate, write, read, free cycle on a child of the libc heap at
 * {@code OFF} (the baseline), {@code SAMPLED} at its default rate (a mean of 512 KiB between
 * samples) and {@code FULL} (a backtrace at the allocation and at the free), and on the libc heap
 * itself, untracked. A child is needed because heap identity is the free function: every libc heap
 * is the one libc heap, and its tracking is process-wide. The {@code libc} row shows what the
 * child's own level of books costs. Issue 13's targets: {@code sampled} at most 1.05x {@code off}
 * by CPU time, {@code full} at most 2 us per cycle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class TrackingBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public TrackingBenchmark() {
    }

    private static final Tag TAG = Tag.of("bench");

    @Param("64")
    long size;

    private long stamp;
    private Heap off;
    private Heap sampled;
    private Heap full;

    /**
     * Takes the stamp, and makes three children of the libc heap, one per tracking level.
     */
    @Setup
    public void setUp() {
        stamp = System.nanoTime();
        off = child(Tracking.OFF);
        sampled = child(Tracking.SAMPLED);
        full = child(Tracking.FULL);
    }

    private static Heap child(Tracking level) {
        Heap h = Heaps.libc().child("tracking-" + level, Long.MAX_VALUE);
        h.setTracking(level);
        return h;
    }

    /**
     * Closes the three children.
     *
     * @throws dev.custody.LeakException if a cycle left a block live on one of them
     */
    @TearDown
    public void tearDown() {
        off.close(); // LeakException if a cycle left a block
        sampled.close();
        full.close();
    }

    /**
     * The baseline: one cycle on the child that tracks nothing.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    @Baseline
    public long off() {
        return Cycles.custody(off, TAG, size, stamp);
    }

    /**
     * One cycle on the child at {@code SAMPLED}, the default rate.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long sampled() {
        return Cycles.custody(sampled, TAG, size, stamp);
    }

    /**
     * One cycle on the child at {@code FULL}: a backtrace at the allocation and at the free.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long full() {
        return Cycles.custody(full, TAG, size, stamp);
    }

    /**
     * One cycle on the libc heap itself, untracked: the cost of the child's own level of books.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long libc() {
        return Cycles.custody(Heaps.libc(), TAG, size, stamp);
    }
}
