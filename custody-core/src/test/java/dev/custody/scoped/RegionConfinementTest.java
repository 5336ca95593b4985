package dev.custody.scoped;

import dev.custody.Block;
import dev.custody.Heaps;
import dev.custody.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;
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
}
