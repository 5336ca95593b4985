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
 * Tracking levels: custody's allocate, write, read, free cycle on a child of the libc heap set to
 * {@code OFF}, {@code SAMPLED} (1 in {@value #SAMPLE_EVERY}) or {@code FULL}, against the same cycle
 * on the libc heap itself, untracked. A child is needed because heap identity is the free function:
 * every libc heap is the one libc heap, and its tracking is process-wide. The {@code OFF} child also
 * shows what the child's own level of books costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class TrackingBenchmark {
    static final int SAMPLE_EVERY = 64;
    private static final Tag TAG = Tag.of("bench");

    @Param("64")
    long size;

    private long stamp;

    @Setup
    public void setUp() {
        stamp = System.nanoTime();
    }

    /** A child heap of libc at one tracking level, closed (and so checked for leaks) at the end. */
    @State(Scope.Thread)
    public static class Child {
        @Param({"OFF", "SAMPLED", "FULL"})
        Tracking level;

        Heap heap;

        @Setup
        public void setUp() {
            heap = Heaps.libc().child("tracking-" + level, Long.MAX_VALUE);
            heap.setTracking(level, SAMPLE_EVERY);
        }

        @TearDown
        public void tearDown() {
            heap.close(); // LeakException if a cycle left a block
        }
    }

    @Benchmark
    @Baseline
    public long untracked() {
        return Cycles.custody(Heaps.libc(), TAG, size, stamp);
    }

    @Benchmark
    public long tracked(Child child) {
        return Cycles.custody(child.heap, TAG, size, stamp);
    }
}
