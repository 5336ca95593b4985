package dev.custody.bench;

import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
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

import java.util.concurrent.TimeUnit;

/**
 * Tracked allocate and free: one block allocated, written at both ends, read back and freed, per
 * operation, by custody's libc heap (ownership and accounting, tracking off) and by its peers. The
 * baseline is a raw FFM downcall to {@code malloc} and {@code free}.
 *
 * <p>The {@code ManyLive} pair holds {@value #LIVE} blocks live at once (all allocated, each written
 * and read back, then all freed), scored per block: custody's libc heap against the same raw
 * downcalls. It is where the live population costs: the registry's growth, GC promotion of the
 * block objects, and a confined arena per block kept open until its free.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.OPEN_NIO, JvmFlags.OPEN_MISC,
        JvmFlags.UNSAFE_ALLOW, JvmFlags.NETTY_REFLECTION, JvmFlags.NETTY_NO_LEAK_DETECTION})
public class AllocateBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public AllocateBenchmark() {
    }

    private static final Tag TAG = Tag.of("bench");
    static final int LIVE = 100_000;

    @Param({"64", "1024"})
    long size;

    private long stamp;
    private Heap libc;
    private BufferAllocator arrow;
    private final dev.custody.Block[] blocks = new dev.custody.Block[LIVE];
    private final long[] raw = new long[LIVE];

    /**
     * Takes the stamp, custody's libc heap and an Arrow root allocator, and checks that Netty is on
     * its fastest path (Unsafe, no Cleaner), so that the peers are measured at their best.
     *
     * @throws IllegalStateException if Netty is not on its Unsafe, no-cleaner path (the fork's flags
     *     are wrong)
     */
    @Setup
    public void setUp() {
        stamp = System.nanoTime();
        libc = Heaps.libc();
        arrow = new RootAllocator(RootAllocator.configBuilder()
                .allocationManagerFactory(UnsafeAllocationManager.FACTORY).build());
        // The peers at their best, or no figures: a Netty on its slow path would flatter custody.
        if (!PlatformDependent.hasUnsafe() || !PlatformDependent.useDirectBufferNoCleaner()) {
            throw new IllegalStateException("Netty is not on its Unsafe, no-cleaner path (hasUnsafe="
                    + PlatformDependent.hasUnsafe() + ", noCleaner=" + PlatformDependent.useDirectBufferNoCleaner()
                    + "): check the fork's flags");
        }
    }

    /**
     * Closes the Arrow allocator and checks that custody's cycles left no block live.
     *
     * @throws IllegalStateException if a block of the libc heap, or an Arrow buffer, is still live
     */
    @TearDown
    public void tearDown() {
        arrow.close(); // throws if a buffer was left open
        if (!libc.liveBlocks().isEmpty()) {
            throw new IllegalStateException("custody cycle left live blocks: " + libc.liveBlocks());
        }
    }

    /**
     * The baseline: a raw FFM downcall to {@code malloc}, the block written at both ends and read
     * back, and {@code free}.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if the downcall throws (it does not for a valid size)
     */
    @Benchmark
    @Baseline
    public long rawMalloc() throws Throwable {
        return Cycles.RawLibc.PLAIN.cycle(size, stamp);
    }

    /**
     * {@value #LIVE} blocks allocated from custody's libc heap, each written and read back, then all
     * freed; scored per block.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    @OperationsPerInvocation(LIVE)
    public long custodyLibcManyLive() {
        long sum = 0;
        for (int i = 0; i < LIVE; i++) {
            dev.custody.Block b = libc.allocate(size, TAG);
            blocks[i] = b;
            sum += Cycles.touch(b.segment(), size, stamp + i);
        }
        for (int i = 0; i < LIVE; i++) {
            blocks[i].free();
            blocks[i] = null;
        }
        return sum;
    }

    /**
     * {@value #LIVE} blocks from raw {@code malloc} downcalls, each written and read back, then all
     * freed; scored per block: the peer of {@link #custodyLibcManyLive()}.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if the downcall throws (it does not for a valid size)
     */
    @Benchmark
    @OperationsPerInvocation(LIVE)
    public long rawMallocManyLive() throws Throwable {
        Cycles.RawLibc c = Cycles.RawLibc.PLAIN;
        long sum = 0;
        for (int i = 0; i < LIVE; i++) {
            long a = (long) c.malloc().invokeExact(size);
            raw[i] = a;
            sum += Cycles.touch(java.lang.foreign.MemorySegment.ofAddress(a).reinterpret(size), size, stamp + i);
        }
        for (int i = 0; i < LIVE; i++) {
            c.free().invokeExact(raw[i]);
        }
        return sum;
    }

    /**
     * As {@link #rawMalloc()}, with critical downcalls (no thread-state transition), as custody's
     * libc heap makes them.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if the downcall throws (it does not for a valid size)
     */
    @Benchmark
    public long rawMallocCritical() throws Throwable {
        return Cycles.RawLibc.CRITICAL.cycle(size, stamp);
    }

    /**
     * One block allocated from custody's libc heap (tracking off), its segment written and read
     * back, and freed.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long custodyLibc() {
        return Cycles.custody(libc, TAG, size, stamp);
    }

    /**
     * One {@code Arena.ofConfined()} per block: allocated (zeroed), written and read back, closed.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long arenaConfined() {
        return Cycles.confinedArena(size, stamp);
    }

    /**
     * A direct buffer from Netty's pooled allocator, written and read back, released.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long nettyPooled() {
        return Cycles.netty(PooledByteBufAllocator.DEFAULT, size, stamp);
    }

    /**
     * A direct buffer from Netty's unpooled allocator, written and read back, released.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long nettyUnpooled() {
        return Cycles.netty(UnpooledByteBufAllocator.DEFAULT, size, stamp);
    }

    /**
     * A buffer from Arrow's root allocator (its Unsafe allocation manager), written and read back,
     * closed.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long arrowRoot() {
        return Cycles.arrow(arrow, size, stamp);
    }
}
