package dev.custody.scoped;

import dev.custody.Block;
import dev.custody.DoubleFreeException;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.UnknownBlockException;
import dev.custody.UseAfterFreeException;
import dev.custody.WrongHeapException;
import dev.custody.debug.Corruption;
import dev.custody.debug.DebugHeap;
import dev.custody.debug.DebugHeaps;
import dev.custody.debug.DebugOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The region semantics of issue 12: blocks as slices of one confined arena per generation, the
 * release as the unit of freeing (Law 3), Law 4 without a registry entry per block, plain-field
 * books, and a region confined, with its blocks, to its thread.
 */
class RegionSemanticsTest {
    private static final Tag CELLS = Tag.of("region-semantics-cells");
    private static final Tag ROOMS = Tag.of("region-semantics-rooms");

    static Stream<Arguments> regions() {
        return Stream.of(
                Arguments.of("region", (Supplier<Region>) () -> Heaps.region(Heaps.libc(), 4096)),
                Arguments.of("flatRegion", (Supplier<Region>) () -> Heaps.flatRegion(1 << 20)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void everySegmentOfAGenerationThrowsAfterTheReleaseAndTheNextGenerationIsFresh(String kind,
                                                                                   Supplier<Region> make) {
        Region r = make.get();
        List<MemorySegment> old = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 500; i++) { // more than one chunk of the chunked region
            Block b = r.allocate(24 + i % 40, CELLS);
            MemorySegment s = b.segment();
            s.set(JAVA_INT, 0, i);
            old.add(s);
            old.add(b.segment()); // a second slice of the same block dies as well
            blocks.add(b);
        }
        assertThat(r.release()).isEqualTo(500);
        for (MemorySegment s : old) {
            assertThatThrownBy(() -> s.get(JAVA_INT, 0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        }
        for (Block b : blocks) {
            assertThat(b.isLive()).isFalse();
            assertThatThrownBy(b::segment).isInstanceOf(UseAfterFreeException.class);
            assertThatThrownBy(b::open).isInstanceOf(UseAfterFreeException.class);
        }
        assertThatThrownBy(blocks.get(7)::free).isInstanceOf(DoubleFreeException.class);
        Block fresh = r.allocate(64, CELLS);
        fresh.segment().set(JAVA_LONG, 56, 3L);
        assertThat(fresh.segment().get(JAVA_LONG, 56)).isEqualTo(3L);
        assertThat(r.release()).isEqualTo(1);
        r.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void aSingleFreeKillsTheBlockForCustodyAndTheBooksAndItsMemoryIsNeverReusedBeforeTheRelease(String kind,
                                                                                                Supplier<Region> make) {
        Region r = make.get();
        r.setTracking(Tracking.FULL, 1);
        Block b = r.allocate(64, CELLS);
        MemorySegment stale = b.segment();
        stale.set(JAVA_LONG, 0, 0xB10CL);
        b.free();
        assertThat(b.isLive()).isFalse();
        assertThatThrownBy(b::segment).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(b::free).isInstanceOf(DoubleFreeException.class).hasMessageContaining("first free:");
        assertThatThrownBy(() -> r.free(b)).isInstanceOf(DoubleFreeException.class);
        assertThatThrownBy(() -> r.free(MemorySegment.ofAddress(b.address()))).isInstanceOf(DoubleFreeException.class);
        assertThat(r.stats().tag(CELLS)).extracting(Figures::liveBytes, Figures::liveBlocks, Figures::frees)
                .containsExactly(0L, 0L, 1L);
        List<Block> after = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Block n = r.allocate(64, CELLS);
            assertThat(n.address()).as("no block reuses the freed one's memory").isNotEqualTo(b.address());
            n.segment().set(JAVA_LONG, 0, i);
            after.add(n);
        }
        assertThat(stale.get(JAVA_LONG, 0)).as("the stale slice sees its own bytes only").isEqualTo(0xB10CL);
        assertThat(r.release()).isEqualTo(200);
        assertThatThrownBy(() -> stale.get(JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        r.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void aRawAddressInsideTheRegionIsTheRegionsAndOnlyAStartAddressFreesThroughIt(String kind,
                                                                                  Supplier<Region> make) {
        Region r = make.get();
        Region other = make.get();
        Heap child = Heaps.libc().child("semantics-libc-child", Long.MAX_VALUE);
        Block a = r.allocate(64, CELLS);
        Block b = r.allocate(64, CELLS);
        a.segment().set(JAVA_LONG, 0, 1L);
        long interior = a.address() + 8;
        for (Heap h : List.of(Heaps.libc(), child, other)) {
            for (long addr : new long[] {a.address(), interior}) {
                assertThatThrownBy(() -> h.free(MemorySegment.ofAddress(addr))).as("%s, 0x%x", h.name(), addr)
                        .isInstanceOf(WrongHeapException.class).hasMessageContaining("'" + r.name() + "'")
                        .hasMessageContaining("NOT passed to the native allocator");
            }
        }
        assertThatThrownBy(() -> r.free(MemorySegment.ofAddress(interior))).isInstanceOf(UnknownBlockException.class);
        assertThat(a.isLive()).isTrue();
        assertThat(a.segment().get(JAVA_LONG, 0)).isEqualTo(1L);
        r.free(MemorySegment.ofAddress(a.address())); // a start address frees its block
        assertThat(a.isLive()).isFalse();
        assertThat(b.isLive()).isTrue();
        Block c = r.allocate(32, CELLS); // blocks carved after the index was made are found too
        r.free(MemorySegment.ofAddress(c.address()));
        assertThat(r.stats().total()).extracting(Figures::liveBlocks, Figures::frees).containsExactly(1L, 2L);
        r.release();
        // after the release the old start addresses are no block of anyone's
        assertThatThrownBy(() -> r.free(MemorySegment.ofAddress(b.address()))).isInstanceOf(UnknownBlockException.class);
        child.close();
        other.close();
        r.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void theBooksAreExactPerTagOnTheRegionsThreadAfterTheReleaseAndReadFromAnotherThread(String kind,
                                                                                         Supplier<Region> make)
            throws Exception {
        Region r = make.get();
        long cells = 0;
        long rooms = 0;
        List<Block> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Tag t = i % 3 == 0 ? ROOMS : CELLS;
            Block b = r.allocate(1 + i, t);
            live.add(b);
            if (t == ROOMS) {
                rooms += 1 + i;
            } else {
                cells += 1 + i;
            }
        }
        for (int i = 0; i < 300; i += 5) {
            Block b = live.get(i);
            b.free();
            if (b.tag() == ROOMS) {
                rooms -= b.byteSize();
            } else {
                cells -= b.byteSize();
            }
        }
        Figures c = r.stats().tag(CELLS);
        Figures m = r.stats().tag(ROOMS);
        assertThat(c.liveBytes()).isEqualTo(cells);
        assertThat(m.liveBytes()).isEqualTo(rooms);
        assertThat(c.liveBlocks() + m.liveBlocks()).isEqualTo(240);
        assertThat(r.stats().total()).extracting(Figures::liveBytes, Figures::liveBlocks, Figures::allocations,
                Figures::frees).containsExactly(cells + rooms, 240L, 300L, 60L);
        long peak = r.peakBytes();
        assertThat(peak).isEqualTo(300L * 301 / 2);
        // the same figures from another thread, at quiescence (a snapshot, JMX)
        Map<Tag, Figures> seen = CompletableFuture.supplyAsync(() -> r.stats().byTag()).get();
        assertThat(seen.get(CELLS)).isEqualTo(c);
        assertThat(seen.get(ROOMS)).isEqualTo(m);
        assertThat(CompletableFuture.supplyAsync(() -> dev.custody.Custody.snapshot().heaps().stream()
                .filter(s -> s.heap().equals(r.name())).findFirst().orElseThrow().total()).get())
                .isEqualTo(r.stats().total());
        assertThat(r.release()).isEqualTo(240);
        assertThat(r.stats().total()).extracting(Figures::liveBytes, Figures::liveBlocks, Figures::frees,
                Figures::peakBytes).containsExactly(0L, 0L, 300L, peak);
        assertThat(r.peakBytes()).isZero();
        r.close();
    }

    /** The acceptance point: a write to a single-freed block is caught by the poisoning wrapper at the release. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void aPoisoningWrapperCatchesAWriteToASingleFreedBlockAtTheRelease(String kind, Supplier<Region> make) {
        Region r = make.get();
        List<Corruption> heard = new ArrayList<>();
        DebugHeap d = DebugHeaps.poisoning(r, DebugOptions.defaults().withListener(heard::add));
        Block kept = d.allocate(32, CELLS);
        Block freed = d.allocate(64, CELLS);
        long address = freed.address();
        freed.free();
        assertThat(r.stats().total().liveBlocks()).isEqualTo(1);
        // what a stale native pointer, or a slice kept by code that does not know it was freed, does
        MemorySegment.ofAddress(address).reinterpret(64).set(JAVA_LONG, 16, 42L);
        assertThat(heard).isEmpty(); // nothing checks before the release: it is the unit of freeing
        assertThat(r.release()).isEqualTo(1);
        assertThat(heard).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Corruption.Kind.WRITE_AFTER_FREE);
            assertThat(c.offset()).isEqualTo(16);
        });
        assertThat(kept.isLive()).isFalse();
        assertThat(r.stats().total().liveBlocks()).isZero();
        assertThatThrownBy(d::close).as("the debug heap's close reports what it found")
                .isInstanceOf(dev.custody.debug.HeapCorruptionException.class).hasMessageContaining("write after free");
        r.close();
    }

    /**
     * The region keeps no object per block, only an entry: the object a listing hands out is equal
     * to the one {@code allocate} returned, and they share one state (views, death, not-a-leak).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("regions")
    void everyObjectOfABlockSharesItsState(String kind, Supplier<Region> make) throws Exception {
        Region r = make.get();
        Block a = r.allocate(40, CELLS);
        Block b = r.allocate(48, ROOMS);
        a.segment().set(JAVA_LONG, 32, 7L);
        List<Block> listed = r.liveBlocks();
        assertThat(listed).containsExactly(a, b);
        assertThat(r.liveBlocks()).as("the same objects each time").usingElementComparator((x, y) -> x == y ? 0 : 1)
                .containsExactlyElementsOf(listed);
        Block la = listed.get(0);
        assertThat(la.hashCode()).isEqualTo(a.hashCode());
        assertThat(la.segment().get(JAVA_LONG, 32)).isEqualTo(7L);
        List<Block> elsewhere = CompletableFuture.supplyAsync(r::liveBlocks).get();
        assertThat(elsewhere).as("listed from another thread").containsExactly(a, b);
        assertThat(elsewhere.getFirst().segment().get(JAVA_LONG, 32)).as("and used back on the region's thread")
                .isEqualTo(7L);

        try (var view = la.open()) {
            assertThatThrownBy(a::free).isInstanceOf(dev.custody.BlockInUseException.class);
            assertThatThrownBy(r::release).isInstanceOf(dev.custody.BlockInUseException.class);
            assertThat(view.segment().get(JAVA_LONG, 32)).isEqualTo(7L);
        }
        a.free();
        assertThat(la.isLive()).isFalse();
        assertThatThrownBy(la::free).isInstanceOf(DoubleFreeException.class);
        assertThatThrownBy(la::segment).isInstanceOf(UseAfterFreeException.class);
        b.markNotALeak();
        assertThat(r.liveBlocks()).singleElement().satisfies(x -> assertThat(x.isMarkedNotALeak()).isTrue());
        assertThat(r.liveBlocks().getFirst()).isNotEqualTo(a);
        assertThat(r.release()).isEqualTo(1);
        Block c = r.allocate(40, CELLS); // the same entry number in the next generation: another block
        assertThat(c).isNotEqualTo(a);
        assertThat(r.release()).isEqualTo(1);
        r.close();
    }
}
