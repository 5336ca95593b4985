package dev.custody.bench.scoped;

import dev.custody.bench.Baseline;
import dev.custody.bench.JvmFlags;
import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
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

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Temporary storage: push a frame, allocate one slice, write it at both ends, read it back, pop.
 * Custody's {@link Frames} (a confined arena per frame, so stale slices throw) against LWJGL's
 * {@link MemoryStack} (a thread-local stack, no checks on stale addresses; written through its own
 * Unsafe-based {@link MemoryUtil}, its fastest path) and {@link SegmentAllocator#slicingAllocator}
 * over a long-lived confined arena's 64 KiB (a fresh slicing allocator per operation is the "pop").
 * The baseline is the like-for-like peer, the JDK's own {@code BufferStack} design written out: a
 * confined arena per frame, and the slice of a long-lived backing segment reinterpreted into it, so
 * that it throws after the pop as custody's does (the target: custody at most 1.1x it).
 * LWJGL runs as its users run it: Unsafe memory access allowed, native access for its library.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class FrameBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public FrameBenchmark() {
    }

    private static final long ALIGN = 16;

    @Param({"64", "1024"})
    long size;

    private long stamp;
    private Arena arena;
    private MemorySegment stack;

    /**
     * Takes the stamp, and a 64 KiB stack segment in a confined arena for the slicing peers.
     */
    @Setup
    public void setUp() {
        stamp = System.nanoTime();
        arena = Arena.ofConfined();
        stack = arena.allocate(64 * 1024, ALIGN);
    }

    /**
     * Closes the stack's arena and releases this thread's frame stack.
     *
     * @throws IllegalStateException if a custody frame was left open
     */
    @TearDown
    public void tearDown() {
        arena.close();
        if (Frames.depth() != 0) {
            throw new IllegalStateException("a frame was left open");
        }
        Frames.release();
    }

    /**
     * A custody frame pushed, one block allocated in it, written at both ends and read back, and the
     * frame popped.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    public long custodyFrame() {
        try (Frame f = Frames.push()) {
            return writeAndRead(f.allocate(size, ALIGN));
        }
    }

    /**
     * A slice of the stack segment from {@code SegmentAllocator.slicingAllocator}, written and read
     * back; nothing to free.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    public long slicingAllocator() {
        return writeAndRead(SegmentAllocator.slicingAllocator(stack).allocate(size, ALIGN));
    }

    /**
     * The baseline, {@code BufferStack}'s frame: a confined arena, a slice of the backing segment
     * reinterpreted into it, written and read back, the arena closed.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    @Baseline
    public long bufferStackPeer() {
        try (Arena frame = Arena.ofConfined()) {
            return writeAndRead(SegmentAllocator.slicingAllocator(stack).allocate(size, ALIGN).reinterpret(frame, null));
        }
    }

    /**
     * LWJGL's {@code MemoryStack}: push, {@code nmalloc}, written and read back, pop.
     *
     * @return the sum of the two values read back, for JMH's blackhole
     */
    @Benchmark
    public long lwjglMemoryStack() {
        try (MemoryStack s = MemoryStack.stackPush()) {
            long address = s.nmalloc((int) ALIGN, (int) size);
            MemoryUtil.memPutLong(address, stamp);
            MemoryUtil.memPutLong(address + size - 8, stamp + 1);
            return MemoryUtil.memGetLong(address) + MemoryUtil.memGetLong(address + size - 8);
        }
    }

    private long writeAndRead(MemorySegment s) {
        s.set(JAVA_LONG, 0, stamp);
        s.set(JAVA_LONG, size - 8, stamp + 1);
        return s.get(JAVA_LONG, 0) + s.get(JAVA_LONG, size - 8);
    }
}
