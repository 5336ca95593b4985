package dev.custody.scoped;

import dev.custody.Block;
import dev.custody.DoubleFreeException;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.IllegalHandOffException;
import dev.custody.LeakException;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.UseAfterFreeException;
import dev.custody.WrongHeapException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The laws, the same on every scoped heap: region, flat region and slab. */
class ScopedLawsTest {
    private static final Tag LEVEL = Tag.of("scoped-laws-level");
    private static final Tag ITEMS = Tag.of("scoped-laws-items");

    static Stream<Arguments> heaps() {
        return Stream.of(
                Arguments.of("region", (Supplier<Heap>) () -> Heaps.region("laws-region", Heaps.libc(), 4096)),
                Arguments.of("flatRegion", (Supplier<Heap>) () -> Heaps.flatRegion("laws-flat", 1 << 20)),
                Arguments.of("slab", (Supplier<Heap>) () -> Heaps.slab("laws-slab", Heaps.libc(), 256, 8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void wrongHeapBothWaysLeavesTheBlockLiveAndIntact(String kind, Supplier<Heap> make) {
        Heap h = make.get();
        Block b = h.allocate(64, LEVEL);
        b.segment().set(JAVA_LONG, 0, 0xCAFEL);
        assertThatThrownBy(() -> Heaps.libc().free(b)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("freed through 'libc'");
        // libc's free of an interior pointer would crash: the raw address is refused too
        assertThatThrownBy(() -> Heaps.libc().free(MemorySegment.ofAddress(b.address())))
                .isInstanceOf(WrongHeapException.class);
        Heap other = make.get();
        assertThatThrownBy(() -> other.free(b)).isInstanceOf(WrongHeapException.class);
        Block fromLibc = Heaps.libc().allocate(16, LEVEL);
        assertThatThrownBy(() -> h.free(fromLibc)).isInstanceOf(WrongHeapException.class);
        fromLibc.free();
        assertThat(b.isLive()).isTrue();
        assertThat(b.segment().get(JAVA_LONG, 0)).isEqualTo(0xCAFEL);
        h.free(b);
        other.close();
        h.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void doubleFreeIsCaughtWithTheFirstFreesSiteAndCountedOnce(String kind, Supplier<Heap> make) {
        Heap h = make.get();
        h.setTracking(Tracking.FULL, 1);
        Block b = h.allocate(32, LEVEL);
        b.free();
        assertThatThrownBy(b::free).isInstanceOf(DoubleFreeException.class).hasMessageContaining("first free:");
        assertThatThrownBy(() -> h.free(b)).isInstanceOf(DoubleFreeException.class);
        assertThat(h.stats().tag(LEVEL).frees()).isEqualTo(1);
        h.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void oldSegmentsThrowAfterTheFreeEvenWhenTheMemoryIsReused(String kind, Supplier<Heap> make) {
        Heap h = make.get();
        Block b = h.allocate(64, LEVEL);
        MemorySegment old = b.segment();
        old.set(JAVA_INT, 0, 7);
        b.free();
        Block next = h.allocate(64, LEVEL); // a slab gives the same slot back
        next.segment().set(JAVA_INT, 0, 8);
        if (h instanceof Region r) {
            // In a region the unit of freeing is the release: the memory is never reused before it,
            // so the stale slice sees only its own block's bytes, and dies at the release.
            assertThat(next.address()).isNotEqualTo(b.address());
            assertThat(old.get(JAVA_INT, 0)).isEqualTo(7);
            r.release();
            assertThatThrownBy(() -> old.get(JAVA_INT, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
            assertThatThrownBy(b::segment).isInstanceOf(UseAfterFreeException.class);
            assertThatThrownBy(next::segment).isInstanceOf(UseAfterFreeException.class);
            h.close();
            return;
        }
        assertThatThrownBy(() -> old.get(JAVA_INT, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(b::segment).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(b::open).isInstanceOf(UseAfterFreeException.class);
        assertThat(next.segment().get(JAVA_INT, 0)).isEqualTo(8);
        next.free();
        h.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void booksAreExactPerTagWithPeak(String kind, Supplier<Heap> make) {
        Heap h = make.get();
        Block a1 = h.allocate(100, LEVEL);
        Block a2 = h.allocate(50, LEVEL);
        Block i1 = h.allocateZeroed(7, ITEMS);
        assertThat(i1.segment().get(java.lang.foreign.ValueLayout.JAVA_BYTE, 6)).isZero();
        assertThat(h.stats().tag(LEVEL)).extracting(Figures::liveBytes, Figures::liveBlocks, Figures::peakBytes)
                .containsExactly(150L, 2L, 150L);
        assertThat(h.stats().total()).extracting(Figures::liveBytes, Figures::liveBlocks).containsExactly(157L, 3L);
        a1.free();
        i1.free();
        assertThat(h.stats().tag(LEVEL)).extracting(Figures::liveBytes, Figures::peakBytes, Figures::allocations,
                Figures::frees).containsExactly(50L, 150L, 2L, 1L);
        assertThat(h.stats().tag(ITEMS).liveBytes()).isZero();
        assertThat(h.stats().total().peakBytes()).isEqualTo(157);
        a2.free();
        h.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void closeWithLiveBlocksReportsEachLeakExceptThoseMarked(String kind, Supplier<Heap> make) {
        Heap h = make.get();
        h.setTracking(Tracking.FULL, 1);
        Block leaked = h.allocate(48, LEVEL);
        Block kept = h.allocate(16, ITEMS);
        kept.markNotALeak();
        assertThatThrownBy(h::close).isInstanceOf(LeakException.class).satisfies(e -> {
            LeakException l = (LeakException) e;
            assertThat(l.leaks()).hasSize(1);
            assertThat(l.leaks().getFirst().size()).isEqualTo(48);
            assertThat(l.leaks().getFirst().tag()).isSameAs(LEVEL);
            assertThat(l.leaks().getFirst().site()).isNotNull();
        });
        assertThat(leaked.isLive()).isTrue(); // closing never frees silently
        leaked.free();
        kept.free();
        h.close();
        assertThatThrownBy(() -> h.allocate(1, LEVEL)).isInstanceOf(IllegalStateException.class);
    }

    /** The parent's books of each pool, on a child of libc so that its close checks them. */
    static Stream<Arguments> pools() {
        return Stream.of(
                Arguments.of("region", (java.util.function.Function<Heap, Heap>) p -> Heaps.region(p, 4096)),
                Arguments.of("slab", (java.util.function.Function<Heap, Heap>) p -> Heaps.slab(p, 64, 8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pools")
    void aBlockMarkedNotALeakOutlivesTheCloseWithItsMemory(String kind, java.util.function.Function<Heap, Heap> make) {
        Heap parent = Heaps.libc().child("pool-parent", Long.MAX_VALUE);
        Heap h = make.apply(parent);
        Block kept = h.allocate(64, LEVEL);
        kept.segment().set(JAVA_LONG, 56, 77L);
        h.allocate(64, LEVEL).free();
        kept.markNotALeak();
        h.close();
        assertThat(kept.isLive()).isTrue();
        assertThat(kept.segment().get(JAVA_LONG, 56)).isEqualTo(77L); // its memory was not given back
        assertThat(parent.stats().total().liveBytes()).isPositive();
        parent.close(); // the kept chunks are marked too: not the parent's leak
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void handOffIsRefusedBecauseNativeCodeCannotFreeAPooledAddress(String kind, Supplier<Heap> make) {
        Heap h = make.get();
        Block b = h.allocate(64, LEVEL);
        assertThatThrownBy(() -> b.handOff(h)).isInstanceOf(IllegalHandOffException.class)
                .hasMessageContaining("carved from a pool");
        assertThat(b.isLive()).isTrue();
        b.free();
        h.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heaps")
    void reallocateKeepsContentsAndKillsTheOldSegment(String kind, Supplier<Heap> make) {
        Heap h = make.get();
        Block b = h.allocate(40, LEVEL);
        b.segment().set(JAVA_INT, 36, 99);
        MemorySegment old = b.segment();
        Block grown = h.reallocate(b, 200);
        assertThat(grown.segment().get(JAVA_INT, 36)).isEqualTo(99);
        assertThat(grown.tag()).isSameAs(LEVEL);
        assertThatThrownBy(b::segment).isInstanceOf(UseAfterFreeException.class);
        if (h instanceof Region r) { // the old slice lives until the release, over memory no one else has
            assertThat(old.get(JAVA_INT, 36)).isEqualTo(99);
            grown.free();
            r.release();
        }
        assertThatThrownBy(() -> old.get(JAVA_INT, 36)).isInstanceOf(IllegalStateException.class);
        assertThat(h.stats().tag(LEVEL).liveBytes()).isEqualTo(h instanceof Region ? 0 : 200);
        if (!(h instanceof Region)) {
            grown.free();
        }
        h.close();
    }
}
