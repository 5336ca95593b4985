package dev.custody.bench.scoped;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.bench.Baseline;
import dev.custody.bench.JvmFlags;
import dev.custody.scoped.Region;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A level's worth of small blocks: {@value #BLOCKS} blocks allocated, each written and read back
 * through its segment, then all given back. Custody's region and flat region (one release) against
 * the cheapest safe bump allocation the JDK has, {@link SegmentAllocator#slicingAllocator} over one
 * long-lived confined arena (the baseline: the targets are at most 2x it), {@code Arena.ofConfined()}
 * with {@value #BLOCKS} allocations and one close, raw FFM {@code malloc}/{@code free} downcalls one by
 * one (no custody at all: a region must be at least 5x faster) and the same blocks allocated and freed
 * one by one on custody's libc heap. Scores are per block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(RegionBenchmark.BLOCKS)
@Fork(value = 1, jvmArgsAppend = JvmFlags.NATIVE_ACCESS)
public class RegionBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public RegionBenchmark() {
    }

    static final int BLOCKS = 100_000;
    private static final long ALIGN = 16;
    private static final Tag TAG = Tag.of("bench-region");
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ADDRESS));

    @Param({"64"})
    long size;

    private Region region;
    private Region flat;
    private Heap libc;
    private final Block[] blocks = new Block[BLOCKS];
    private final MemorySegment[] raw = new MemorySegment[BLOCKS];
    private Arena backingArena;
    private MemorySegment backing;

    /**
     * Makes the region (256 KiB chunks on libc) and the flat region (64 MiB), and the backing segment of
     * the slicing baseline.
     */
    @Setup
    public void setUp() {
        region = Heaps.region("bench-region", Heaps.libc(), 256 * 1024);
        flat = Heaps.flatRegion("bench-flat", 64L << 20);
        libc = Heaps.libc();
        backingArena = Arena.ofConfined();
        backing = backingArena.allocate(BLOCKS * Math.max(size, ALIGN), ALIGN);
    }

    /**
     * Closes the backing arena and both regions, and checks that no libc block of this benchmark is
     * left.
     *
     * @throws dev.custody.LeakException if a region still holds a live block
     * @throws IllegalStateException if a libc block of this benchmark's tag is still live
     */
    @TearDown
    public void tearDown() {
        backingArena.close();
        region.close(); // throws if a block was left live
        flat.close();
        if (libc.liveBlocks().stream().anyMatch(b -> b.tag() == TAG)) {
            throw new IllegalStateException("libc blocks were left live");
        }
    }

    /**
     * {@value #BLOCKS} blocks bumped from the region, each written and read back, then one release.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long regionRelease() {
        return fillAndRelease(region);
    }

    /**
     * {@value #BLOCKS} blocks bumped from the flat region, each written and read back, then one
     * release.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long flatRegionRelease() {
        return fillAndRelease(flat);
    }

    private long fillAndRelease(Region r) {
        long sum = 0;
        for (int i = 0; i < BLOCKS; i++) {
            sum += writeAndRead(r.allocate(size, TAG).segment(), i);
        }
        r.release();
        return sum;
    }

    /**
     * The baseline, the JDK's bump allocation: slices of one confined arena's segment, 16-aligned as
     * a region's.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    @Baseline
    public long slicingAllocator() {
        SegmentAllocator a = SegmentAllocator.slicingAllocator(backing);
        long sum = 0;
        for (int i = 0; i < BLOCKS; i++) {
            sum += writeAndRead(a.allocate(size, ALIGN), i);
        }
        return sum;
    }

    /**
     * One confined arena, {@value #BLOCKS} allocations in it (a malloc each), one close.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long arenaConfined() {
        long sum = 0;
        try (Arena a = Arena.ofConfined()) {
            for (int i = 0; i < BLOCKS; i++) {
                sum += writeAndRead(a.allocate(size, ALIGN), i);
            }
        }
        return sum;
    }

    /**
     * {@value #BLOCKS} blocks from custody's libc heap, each written and read back, then freed one by
     * one.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long libcOneByOne() {
        long sum = 0;
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i] = libc.allocate(size, TAG);
            sum += writeAndRead(blocks[i].segment(), i);
        }
        for (int i = 0; i < BLOCKS; i++) {
            blocks[i].free();
            blocks[i] = null;
        }
        return sum;
    }

    /**
     * {@value #BLOCKS} raw {@code malloc} downcalls, each block written and read back, then freed
     * one by one.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if a downcall fails
     */
    @Benchmark
    public long rawMallocOneByOne() throws Throwable {
        long sum = 0;
        for (int i = 0; i < BLOCKS; i++) {
            raw[i] = ((MemorySegment) MALLOC.invokeExact(size)).reinterpret(size);
            sum += writeAndRead(raw[i], i);
        }
        for (int i = 0; i < BLOCKS; i++) {
            FREE.invokeExact(raw[i]);
            raw[i] = null;
        }
        return sum;
    }

    private long writeAndRead(MemorySegment s, long i) {
        s.set(JAVA_LONG, 0, i);
        s.set(JAVA_LONG, size - 8, ~i);
        return s.get(JAVA_LONG, 0) ^ s.get(JAVA_LONG, size - 8);
    }
}
