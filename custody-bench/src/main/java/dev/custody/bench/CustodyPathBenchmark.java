package dev.custody.bench;

import dev.custody.Heaps;
import dev.custody.Tag;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where custody's time goes: the raw critical {@code malloc}/{@code free} cycle with one part of
 * custody's path added at a time, built from the same JDK parts custody uses, then all of them, and
 * custody itself. Each part keeps its objects reachable from a field, as custody's block does, so
 * that escape analysis removes no more than it could in custody.
 * <ul>
 *   <li>{@code block}: one object per block with the fields of custody's block.
 *   <li>{@code registry}: {@code ConcurrentHashMap<Long, ...>} putIfAbsent and remove(key, value),
 *       as custody's registry of live addresses (boxing included).
 *   <li>{@code books}: the atomic adds of custody's books, a heap's total line and a tag's line:
 *       reserve, count, peak check on allocation; bytes and frees on free.
 *   <li>{@code segment}: a confined arena per block and a segment over the block in it, closed at
 *       free, as custody's owner segment.
 * </ul>
 * The parts model custody's path as it was when this was first measured: a ConcurrentHashMap
 * registry (+26 ns) and eight atomic adds of books. Those figures are why the registry became
 * striped open-addressing tables behind a one-CAS lock and the heap's line keeps only bytes and
 * peak; {@code custody} measures the path as it is now, against the same {@code raw} baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class CustodyPathBenchmark {
    /** Made by JMH's generated code, one instance per benchmark thread. */
    public CustodyPathBenchmark() {
    }

    private static final long SIZE = 64;
    private static final Tag TAG = Tag.of("bench");
    private static final Cycles.RawLibc LIBC = Cycles.RawLibc.CRITICAL;
    private static final ConcurrentHashMap<Long, Object> REGISTRY = new ConcurrentHashMap<>(1 << 12);

    private long stamp;
    private final Part none = new Part() {
    };
    private final BlockPart block = new BlockPart();
    private final RegistryPart registry = new RegistryPart();
    private final BooksPart books = new BooksPart();
    private final SegmentPart segment = new SegmentPart();
    private final Part all = new Part() {
        @Override
        public void allocated(long address) {
            books.allocated(address);
            block.allocated(address);
            registry.allocated(address);
        }

        @Override
        public MemorySegment segment(long address) {
            return segment.segment(address);
        }

        @Override
        public void freeing(long address) {
            segment.freeing(address);
            registry.freeing(address);
            books.freeing(address);
            block.freeing(address);
        }
    };

    /** One part of custody's path, around the raw cycle. */
    interface Part {
        default void allocated(long address) {
        }

        default MemorySegment segment(long address) {
            return MemorySegment.ofAddress(address).reinterpret(SIZE);
        }

        default void freeing(long address) {
        }
    }

    /** One object per block with the fields of custody's block, held while the block is live. */
    static final class BlockPart implements Part {
        record Holder(long address, long base, long size, Tag tag, int flags, Object history, Thread owner) {
        }

        Holder held;

        @Override
        public void allocated(long address) {
            held = new Holder(address, address, SIZE, TAG, 0, null, Thread.currentThread());
        }

        @Override
        public void freeing(long address) {
            held = null;
        }
    }

    /** Custody's registry of live addresses: putIfAbsent, then remove(key, value). */
    static final class RegistryPart implements Part {
        @Override
        public void allocated(long address) {
            REGISTRY.putIfAbsent(address, this);
        }

        @Override
        public void freeing(long address) {
            REGISTRY.remove(address, this);
        }
    }

    /** The atomic adds of custody's books: a heap's total line and a tag's line. */
    static final class BooksPart implements Part {
        private final Books total = new Books();
        private final Books byTag = new Books();

        @Override
        public void allocated(long address) {
            total.allocated(SIZE);
            byTag.allocated(SIZE);
        }

        @Override
        public void freeing(long address) {
            total.freed(SIZE);
            byTag.freed(SIZE);
        }
    }

    /** One line of books: the counters custody's ledger adds to. */
    static final class Books {
        final AtomicLong live = new AtomicLong();
        final AtomicLong peak = new AtomicLong();
        final AtomicLong allocations = new AtomicLong();
        final AtomicLong frees = new AtomicLong();

        void allocated(long size) {
            long now = live.addAndGet(size);
            allocations.incrementAndGet();
            long p = peak.get();
            if (now > p) {
                peak.compareAndSet(p, now);
            }
        }

        void freed(long size) {
            live.addAndGet(-size);
            frees.incrementAndGet();
        }
    }

    /** A confined arena per block and the block's segment in it, held until the free closes it. */
    static final class SegmentPart implements Part {
        private Arena arena;
        private MemorySegment held;

        @Override
        public MemorySegment segment(long address) {
            arena = Arena.ofConfined();
            held = MemorySegment.ofAddress(address).reinterpret(SIZE, arena, null);
            return held;
        }

        @Override
        public void freeing(long address) {
            arena.close();
            arena = null;
            held = null;
        }
    }

    /**
     * Takes the stamp the cycles write into each block.
     */
    @Setup
    public void setUp() {
        stamp = System.nanoTime();
    }

    private long cycle(Part part) throws Throwable {
        long address = (long) LIBC.malloc().invokeExact(SIZE);
        part.allocated(address);
        long r = Cycles.touch(part.segment(address), SIZE, stamp);
        part.freeing(address);
        LIBC.free().invokeExact(address);
        return r;
    }

    /**
     * The baseline: a critical {@code malloc}, the block written and read back, and {@code free}.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if a downcall throws (it does not for 64 B)
     */
    @Benchmark
    @Baseline
    public long raw() throws Throwable {
        return cycle(none);
    }

    /**
     * The raw cycle with one object per block, holding the fields of custody's block.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if a downcall throws (it does not for 64 B)
     */
    @Benchmark
    public long block() throws Throwable {
        return cycle(block);
    }

    /**
     * The raw cycle with a {@code ConcurrentHashMap} put and remove of the block's address.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if a downcall throws (it does not for 64 B)
     */
    @Benchmark
    public long registry() throws Throwable {
        return cycle(registry);
    }

    /**
     * The raw cycle with the atomic adds of a heap's and a tag's books.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if a downcall throws (it does not for 64 B)
     */
    @Benchmark
    public long books() throws Throwable {
        return cycle(books);
    }

    /**
     * The raw cycle with a confined arena and a segment over the block, closed at free.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if a downcall throws (it does not for 64 B)
     */
    @Benchmark
    public long segment() throws Throwable {
        return cycle(segment);
    }

    /**
     * The raw cycle with all four parts at once.
     *
     * @return the sum of the values read back, for JMH's blackhole
     * @throws Throwable if a downcall throws (it does not for 64 B)
     */
    @Benchmark
    public long allParts() throws Throwable {
        return cycle(all);
    }

    /**
     * Custody's libc heap itself, on the same 64 B cycle: the path as it is now.
     *
     * @return the sum of the values read back, for JMH's blackhole
     */
    @Benchmark
    public long custody() {
        return Cycles.custody(Heaps.libc(), TAG, SIZE, stamp);
    }
}
