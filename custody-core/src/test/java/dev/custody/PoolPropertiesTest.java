package dev.custody;

import dev.custody.debug.DebugHeaps;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random sequences over pools over pools, debug wrappers over every heap kind, {@code asArena()}
 * segments and views of counted blocks: every misuse gets its exception, a pool's memory is never
 * freed under a live block, no segment outlives its block, no count is bypassed, and the books
 * equal a model after every step.
 */
class PoolPropertiesTest {
    /** The heap under test, and the pool under it whose release is exercised, if any. */
    enum Kind { REGION, REGION_OVER_REGION, SLAB_OVER_REGION, POISONING_OVER_REGION, POISONING_OVER_FLAT,
        POISONING_OVER_SLAB, POISONING_OVER_CHILD, GUARDED_OVER_REGION, GUARDED_OVER_CHILD }

    enum Op { ALLOC, FREE, ARENA, VIEW_COUNTED, RELEASE_POOL, PARENT_LEAVES_CHUNKS }

    record Step(Op op, int a, int b) {
    }

    private static final Tag TAG = Tag.of("pool-prop");
    /** Segments of single-freed region blocks, which die at the region's release (jqwik runs tries one by one). */
    private static final List<MemorySegment> AWAITING_RELEASE = new ArrayList<>();

    /** What a kind is made of: the heap under test, the pool below it, every heap to close, innermost first. */
    record Setup(Heap heap, Region pool, Heap parent, List<Heap> toClose, long maxSize, boolean counted,
                 boolean releaseKills) {
    }

    static Setup make(Kind kind) {
        Heap child = Heaps.libc().child("pool-prop-parent", Long.MAX_VALUE);
        return switch (kind) {
            case REGION -> {
                Region r = Heaps.region(child, 4096);
                yield new Setup(r, r, child, List.of(r, child), 8192, false, true);
            }
            case REGION_OVER_REGION -> {
                Region outer = Heaps.region(child, 1 << 16);
                Region inner = Heaps.region(outer, 4096);
                yield new Setup(inner, outer, outer, List.of(inner, outer, child), 8192, false, false);
            }
            case SLAB_OVER_REGION -> {
                Region r = Heaps.region(child, 1 << 16);
                Slab s = Heaps.slab(r, 256, 8);
                yield new Setup(s, r, r, List.of(s, r, child), 256, true, false);
            }
            case POISONING_OVER_REGION -> {
                Region r = Heaps.region(child, 4096);
                yield new Setup(DebugHeaps.poisoning(r), r, r, List.of(r, child), 8192, false, true);
            }
            case POISONING_OVER_FLAT -> {
                Region r = Heaps.flatRegion(4 << 20);
                yield new Setup(DebugHeaps.poisoning(r), r, r, List.of(r, child), 8192, false, true);
            }
            case POISONING_OVER_SLAB -> {
                Slab s = Heaps.slab(child, 128, 8);
                yield new Setup(DebugHeaps.poisoning(s), null, s, List.of(s, child), 96, true, false);
            }
            case GUARDED_OVER_REGION -> {
                Region r = Heaps.region(child, 4096);
                yield new Setup(DebugHeaps.guarded(r, dev.custody.debug.DebugOptions.defaults()), r, r,
                        List.of(r, child), 8192, false, true);
            }
            case POISONING_OVER_CHILD -> new Setup(DebugHeaps.poisoning(child), null, child, List.of(child), 8192,
                    true, false);
            case GUARDED_OVER_CHILD -> new Setup(DebugHeaps.guarded(child, dev.custody.debug.DebugOptions.defaults()),
                    null, child, List.of(child), 8192, true, false);
        };
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.of(Op.class), Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 1 << 16)).as(Step::new).list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 80)
    void poolsArenasAndCountsKeepTheLaws(@ForAll Kind kind, @ForAll("steps") List<Step> steps) {
        Setup s = make(kind);
        AWAITING_RELEASE.clear();
        List<Block> live = new ArrayList<>();
        List<MemorySegment> deadSegments = new ArrayList<>();
        for (Step st : steps) {
            step(st, s, live, deadSegments);
            Figures f = s.heap().stats().total();
            assertThat(new long[] {f.liveBytes(), f.liveBlocks()}).as("books of %s after %s", kind, st)
                    .containsExactly(live.stream().mapToLong(Block::byteSize).sum(), live.size());
            for (Block b : live) {
                assertThat(b.segment().get(ValueLayout.JAVA_BYTE, b.byteSize() - 1)).as("a live block's last byte")
                        .isEqualTo((byte) b.byteSize());
            }
            for (MemorySegment d : deadSegments) {
                assertThatThrownBy(() -> d.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
            }
        }
        live.forEach(Block::free);
        if (s.heap() instanceof dev.custody.debug.DebugHeap d) {
            d.close();
        }
        for (Heap h : s.toClose()) {
            if (h instanceof Region r) {
                r.release();
            }
            h.close(); // no leaks anywhere, pool chunks included
        }
    }

    private static void step(Step st, Setup s, List<Block> live, List<MemorySegment> deadSegments) {
        Heap heap = s.heap();
        long size = 1 + st.b() % s.maxSize();
        Block target = live.isEmpty() ? null : live.get(st.a() % live.size());
        switch (st.op()) {
            case ALLOC -> {
                Block b = heap.allocate(size, TAG);
                b.segment().set(ValueLayout.JAVA_BYTE, size - 1, (byte) size);
                live.add(b);
            }
            case FREE -> {
                if (target != null) {
                    MemorySegment seg = target.segment();
                    heap.free(target);
                    live.remove(target);
                    if (heap instanceof Region) {
                        // Law 3 in a region: the unit of freeing is the release. The segment lives on
                        // until then, and its memory is never another block's.
                        assertThat(seg.get(ValueLayout.JAVA_BYTE, seg.byteSize() - 1)).as("a single-freed block's bytes")
                                .isEqualTo((byte) seg.byteSize());
                        AWAITING_RELEASE.add(seg);
                    } else {
                        deadSegments.add(seg);
                    }
                }
            }
            case ARENA -> {
                Arena arena = heap.asArena();
                MemorySegment kept = arena.allocate(size, 8);
                MemorySegment gone = arena.allocate(size, 8);
                kept.set(ValueLayout.JAVA_BYTE, size - 1, (byte) 1);
                heap.free(gone); // freed some other way: the segment dies with its block
                assertThatThrownBy(() -> gone.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
                assertThat(kept.get(ValueLayout.JAVA_BYTE, size - 1)).isEqualTo((byte) 1);
                arena.close(); // frees the rest, without an exception
                deadSegments.add(kept);
            }
            case VIEW_COUNTED -> {
                if (!s.counted()) {
                    assertThatThrownBy(() -> heap.allocateShared(size, TAG))
                            .isInstanceOf(UnsupportedOperationException.class);
                    return;
                }
                SharedBlock c = heap.allocateShared(size, TAG).retain();
                try (BlockView v = c.open()) {
                    assertThat(v.block()).isSameAs(c);
                    assertThat(heap.liveBlocks()).contains(c);
                    assertThatThrownBy(() -> v.block().free()).isInstanceOf(BlockInUseException.class);
                    assertThatThrownBy(() -> heap.free(c)).isInstanceOf(BlockInUseException.class);
                }
                assertThat(c.refCount()).isEqualTo(2);
                assertThat(c.release()).isFalse();
                assertThat(c.release()).isTrue();
                assertThatThrownBy(c::retain).isInstanceOf(UseAfterFreeException.class);
            }
            case RELEASE_POOL -> {
                Region pool = s.pool();
                if (pool == null) {
                    return;
                }
                if (s.releaseKills()) {
                    List<MemorySegment> segs = live.stream().map(Block::segment).toList();
                    assertThat(pool.release()).isEqualTo(live.size());
                    live.forEach(b -> assertThat(b.isLive()).isFalse());
                    deadSegments.addAll(segs);
                    if (pool == heap) {
                        deadSegments.addAll(AWAITING_RELEASE);
                    }
                    AWAITING_RELEASE.clear();
                    live.clear();
                } else {
                    boolean holds = heap instanceof Region inner ? inner.heldBytes() > 0 : ((Slab) heap).heldBytes() > 0;
                    if (holds) {
                        assertThatThrownBy(pool::release).isInstanceOf(WrongHeapException.class)
                                .hasMessageContaining("held by pool");
                    } else {
                        assertThat(pool.release()).isZero();
                    }
                }
            }
            case PARENT_LEAVES_CHUNKS -> {
                for (Heap h : s.toClose()) { // the parent and every heap below it list only the user's blocks
                    assertThat(h.liveBlocks()).as("live blocks of %s", h.name()).allMatch(b -> b.tag() == TAG);
                }
            }
        }
    }
}
