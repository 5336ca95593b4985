package dev.custody.scoped;

import dev.custody.Block;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** Every region operation from another thread throws WrongThreadException and changes nothing, ownership included. */
class RegionConfinementTest {
    private static final Tag CELLS = Tag.of("region-confinement-cells");

    static Stream<Arguments> regions() {
        return Stream.of(
                Arguments.of("region", (Supplier<Region>) () -> Heaps.region("confined-region", Heaps.libc(), 4096)),
                Arguments.of("flatRegion", (Supplier<Region>) () -> Heaps.flatRegion("confined-flat", 1 << 20)));
    }

    private static Throwable onAnotherThread(Runnable op) throws Exception {
        return CompletableFuture.runAsync(op).handle((v, e) -> e).get();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void reallocateFromAnotherThreadOfABlockTheRegionThreadOwnsIsAWrongThread(String kind, Supplier<Region> make)
            throws Exception {
        Region r = make.get();
        Block b = r.allocate(64, CELLS);
        b.segment().set(JAVA_INT, 0, 7);
        Throwable t = onAnotherThread(() -> r.reallocate(b, 128));
        assertThat(t).cause().isInstanceOf(WrongThreadException.class).hasMessageContaining("Nothing changed");
        assertThat(b.isLive()).isTrue();
        assertThat(b.segment().get(JAVA_INT, 0)).isEqualTo(7); // still this thread's, same segment
        assertThat(r.stats().total().liveBlocks()).isEqualTo(1);
        r.release();
        r.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void reallocateFromAnotherThreadOfADetachedBlockLeavesItDetached(String kind, Supplier<Region> make)
            throws Exception {
        Region r = make.get();
        Block b = r.allocate(64, CELLS);
        b.detach();
        Throwable t = onAnotherThread(() -> r.reallocate(b, 128));
        assertThat(t).cause().isInstanceOf(WrongThreadException.class);
        // The pool thread is alive: had it claimed the block, this claim would be refused.
        b.segment().set(JAVA_INT, 0, 9);
        assertThat(r.release()).isEqualTo(1);
        r.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void freeLeakedFromAnotherThreadFreesNothing(String kind, Supplier<Region> make) throws Exception {
        Region r = make.get();
        Block b = r.allocate(64, CELLS);
        b.detach();
        Consumer<Region> op = Region::freeLeaked;
        Throwable t = onAnotherThread(() -> op.accept(r));
        assertThat(t).cause().isInstanceOf(WrongThreadException.class);
        assertThat(b.isLive()).isTrue();
        assertThat(r.release()).isEqualTo(1);
        r.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void adoptFromAnotherThreadIsAWrongThreadAndAdoptsNothing(String kind, Supplier<Region> make) throws Exception {
        Region r = make.get();
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment foreign = a.allocate(64);
            Throwable t = onAnotherThread(() -> r.adopt(foreign, 64, CELLS));
            assertThat(t).cause().isInstanceOf(WrongThreadException.class).hasMessageContaining("Nothing changed");
            assertThat(r.stats().total().liveBlocks()).isZero();
            assertThat(r.stats().total().allocations()).isZero();
        }
        r.release();
        r.close();
    }

    /** Every operation on a region, or on one of its blocks, from another thread: refused, nothing changed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void everyOperationFromAnotherThreadIsRefusedAndChangesNothing(String kind, Supplier<Region> make)
            throws Exception {
        Region r = make.get();
        Block b = r.allocate(64, CELLS);
        MemorySegment s = b.segment();
        s.set(JAVA_LONG, 0, 5L);
        Heap out = Heaps.libc().child("semantics-out", Long.MAX_VALUE);
        Figures before = r.stats().total();
        List<Runnable> ops = List.of(
                () -> r.allocate(8, CELLS), () -> r.allocateZeroed(8, CELLS), r::release, () -> r.free(b),
                () -> r.free(MemorySegment.ofAddress(b.address())), () -> r.reallocate(b, 128),
                () -> r.transfer(b, out), r::freeLeaked, r::close, () -> r.adopt(MemorySegment.ofAddress(64), 8, CELLS),
                b::segment, b::open, b::detach, b::free, () -> b.handOff(r), b::markNotALeak,
                () -> s.get(JAVA_LONG, 0));
        for (Runnable op : ops) {
            assertThat(onAnotherThread(op)).cause().isInstanceOf(WrongThreadException.class);
        }
        assertThat(b.isLive()).isTrue();
        assertThat(b.isMarkedNotALeak()).isFalse();
        assertThat(((dev.custody.internal.BlockImpl) b).owner()).isSameAs(Thread.currentThread());
        assertThat(s.get(JAVA_LONG, 0)).isEqualTo(5L);
        assertThat(b.segment().get(JAVA_LONG, 0)).isEqualTo(5L);
        assertThat(r.stats().total()).isEqualTo(before);
        assertThat(out.stats().total().allocations()).isZero();
        assertThat(r.release()).isEqualTo(1);
        out.close();
        r.close();
    }
}
