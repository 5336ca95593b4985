package dev.custody.bench.debug;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.bench.Baseline;
import dev.custody.bench.JvmFlags;
import dev.custody.debug.DebugHeaps;
import dev.custody.debug.DebugOptions;

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

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The cost of each debug mode against the plain libc heap (the baseline): one allocate, one 8-byte
 * write through the block's segment, one free (dev.custody.debug's package overview quotes the
 * figures). Issue 13's target: {@code poisoning} at most 1.5x {@code libc}.
 *
 * <ul>
 *   <li>{@code libc}: {@link Heaps#libc()}, the fast path the debug modes leave untouched.</li>
 *   <li>{@code poisoning}: {@link DebugHeaps#poisoning} with the default quarantine (4096 blocks):
 *       in the steady state each free fills the block with poison, and pushes the oldest block out
 *       of the quarantine, checking its poison and canaries and freeing it on libc.</li>
 *   <li>{@code guarded}: {@link DebugHeaps#guarded}: {@code mmap}, {@code mprotect} of the guard
 *       page, {@code mprotect} of the freed run, and {@code munmap} of the block leaving the
 *       quarantine, all system calls.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class DebugHeapBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public DebugHeapBenchmark() {
    }

    private static final Tag TAG = Tag.of("bench");

    /**
     * The block size in bytes, set by JMH from {@code @Param}: a small block and a page.
     */
    @Param({"64", "4096"})
    public int size;

    private Heap poisoning;
    private Heap guarded;
    private Heap poisoningNoQuarantine;

    /**
     * Makes the poisoning and the guarded heap over libc, each with the default options.
     */
    @Setup
    public void setUp() {
        poisoning = DebugHeaps.poisoning(Heaps.libc());
        poisoningNoQuarantine = DebugHeaps.poisoning(Heaps.libc(), DebugOptions.defaults().withQuarantine(0, 0));
        guarded = DebugHeaps.guarded(Heaps.libc(), DebugOptions.defaults());
    }

    /**
     * Closes the two debug heaps.
     *
     * @throws dev.custody.LeakException if a cycle left a block live on one of them
     */
    @TearDown
    public void tearDown() {
        poisoning.close();
        poisoningNoQuarantine.close();
        guarded.close();
    }

    private long cycle(Heap heap) {
        Block b = heap.allocate(size, TAG);
        b.segment().set(JAVA_LONG, 0, size);
        long a = b.address();
        b.free();
        return a;
    }

    /**
     * The baseline: one cycle on the libc heap.
     *
     * @return the block's address, for JMH's blackhole
     */
    @Benchmark
    @Baseline
    public long libc() {
        return cycle(Heaps.libc());
    }

    /**
     * One cycle on the poisoning heap, in the steady state of its full quarantine.
     *
     * @return the block's address, for JMH's blackhole
     */
    @Benchmark
    public long poisoning() {
        return cycle(poisoning);
    }

    /**
     * One cycle on a poisoning heap without a quarantine: the poison is checked at once, so this
     * is the cost of the canaries and the poison alone, apart from what holding freed blocks costs.
     *
     * @return the block's address, for JMH's blackhole
     */
    @Benchmark
    public long poisoningNoQuarantine() {
        return cycle(poisoningNoQuarantine);
    }

    /**
     * One cycle on the guarded heap: its system calls included.
     *
     * @return the block's address, for JMH's blackhole
     */
    @Benchmark
    public long guarded() {
        return cycle(guarded);
    }
}
