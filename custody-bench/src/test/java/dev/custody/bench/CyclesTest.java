package dev.custody.bench;

import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.observe.ProcessMemory;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every benchmark cycle does the work it claims (what it reads back is what it wrote: -1 for any
 * stamp) and gives back all it took, checked by the allocator's own counters and, for the libc
 * cycles, by glibc's mallinfo2 as a witness outside custody (exact under MALLOC_ARENA_MAX=1, which
 * surefire sets).
 */
class CyclesTest {
    private static final int CYCLES = 1_000_000;
    /**
     * The JVM's own threads (the JIT compilers and their pooled arenas above all) malloc from the
     * same arena while the loop runs, so the witness was seen to move by up to 2.8 MB without any
     * leak; leaking the blocks of 1,000,000 cycles of 16 B would move it by 32 MB (32 B chunks).
     */
    private static final long MALLINFO_TOLERANCE = 8L * 1024 * 1024;
    private static final Tag TAG = Tag.of("cycles-test");

    interface Cycle {
        long run(long stamp) throws Throwable;
    }

    private static void runMany(long size, Cycle cycle) throws Throwable {
        for (int i = 0; i < CYCLES; i++) {
            long stamp = i * 0x9E3779B97F4A7C15L;
            assertThat(cycle.run(stamp)).as("read back, size %d, stamp %d", size, stamp).isEqualTo(-1L);
        }
    }

    /**
     * The smallest of up to {@value #ROUNDS} rounds' deltas is within the tolerance. The JVM's own
     * mallocs come in bursts (CI once read 9.3 MB in one round without any leak); a leak moves
     * every round, by 32 MB or more.
     */
    private static void runWithMallinfoWitness(long size, Cycle cycle) throws Throwable {
        assertThat(ProcessMemory.singleArena()).as("surefire runs the tests with MALLOC_ARENA_MAX=1").isTrue();
        runMany(size, cycle); // warm: the JIT compiles the cycle now, not while it is measured
        long least = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS && least >= MALLINFO_TOLERANCE; round++) {
            long before = ProcessMemory.mallinfoInUse();
            runMany(size, cycle);
            least = Math.min(least, ProcessMemory.mallinfoInUse() - before);
        }
        assertThat(least).as("the least growth of glibc's in-use bytes over a round").isLessThan(MALLINFO_TOLERANCE);
    }

    private static final int ROUNDS = 3;

    @ParameterizedTest
    @ValueSource(longs = {16, 64, 1024})
    void rawCyclesFreeWhatTheyAllocate(long size) throws Throwable {
        runWithMallinfoWitness(size, stamp -> Cycles.RawLibc.PLAIN.cycle(size, stamp));
        runWithMallinfoWitness(size, stamp -> Cycles.RawLibc.CRITICAL.cycle(size, stamp));
    }

    @ParameterizedTest
    @ValueSource(longs = {16, 64, 1024})
    void custodyCycleBalancesTheBooksAndMalloc(long size) throws Throwable {
        Heap heap = Heaps.libc().child("cycles-test-" + size, Long.MAX_VALUE);
        runWithMallinfoWitness(size, stamp -> Cycles.custody(heap, TAG, size, stamp));
        Figures f = heap.stats().total();
        assertThat(f.allocations()).isEqualTo(2L * CYCLES);
        assertThat(f.frees()).isEqualTo(2L * CYCLES);
        assertThat(f.liveBytes()).isZero();
        assertThat(f.peakBytes()).isEqualTo(size);
        heap.close(); // LeakException if a block were left
    }

    @Test
    void confinedArenaCycleFreesWhatItAllocates() throws Throwable {
        runWithMallinfoWitness(64, stamp -> Cycles.confinedArena(64, stamp));
    }

    @ParameterizedTest
    @ValueSource(longs = {64, 1024})
    void nettyCyclesReleaseEveryBuffer(long size) throws Throwable {
        assertThat(PlatformDependent.hasUnsafe()).as("Netty on its Unsafe path (surefire gets the fork's flags)").isTrue();
        long pooledBefore = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        long unpooledBefore = UnpooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        runMany(size, stamp -> Cycles.netty(PooledByteBufAllocator.DEFAULT, size, stamp));
        runMany(size, stamp -> Cycles.netty(UnpooledByteBufAllocator.DEFAULT, size, stamp));
        // The pool keeps its chunks (that is what a pool is for), so its figure may not fall back;
        // it must not grow with the cycles: one chunk serves them all.
        assertThat(PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - pooledBefore)
                .isLessThanOrEqualTo(PooledByteBufAllocator.DEFAULT.metric().chunkSize());
        assertThat(UnpooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()).isEqualTo(unpooledBefore);
    }

    @ParameterizedTest
    @ValueSource(longs = {64, 1024})
    void arrowCycleClosesEveryBuffer(long size) throws Throwable {
        try (BufferAllocator arrow = new RootAllocator(RootAllocator.configBuilder()
                .allocationManagerFactory(UnsafeAllocationManager.FACTORY).build())) {
            runMany(size, stamp -> Cycles.arrow(arrow, size, stamp));
            assertThat(arrow.getAllocatedMemory()).isZero();
            assertThat(arrow.getPeakMemoryAllocation()).isGreaterThanOrEqualTo(size);
        } // close() throws if a buffer is still open
    }
}
