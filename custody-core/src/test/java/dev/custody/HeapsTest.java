package dev.custody;

import dev.custody.debug.DebugHeaps;
import dev.custody.debug.DebugOptions;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The factories: what they refuse, what they publish, how they name. */
class HeapsTest {

    /** The old code threw a NullPointerException with no message from inside NativeHeapImpl. */
    @Test
    void aNullAllocatorIsNamed() {
        assertThatThrownBy(() -> Heaps.of("no-allocator", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("allocator");
    }

    /**
     * A refused region, flat region or slab is never seen: the old code published it from the
     * constructor, before the checks, so it stayed in Custody.heaps() and snapshots, and its
     * toString() threw NullPointerException.
     */
    @Test
    void aRefusedPoolIsNeverPublished() {
        List<Heap> before = Custody.heaps();
        assertThatThrownBy(() -> Heaps.region("refused-region", Heaps.libc(), 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Heaps.slab("refused-slab", Heaps.libc(), 0, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Heaps.slab("refused-slab", Heaps.libc(), 1L << 45, 1 << 20))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Heaps.flatRegion("refused-flat", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Heaps.region("refused-parent", null, 4096)).isInstanceOf(NullPointerException.class);
        assertThat(Custody.heaps()).noneMatch(h -> h.name().startsWith("refused-"))
                .allSatisfy(h -> assertThat(h.toString()).isNotNull());
        assertThat(Custody.snapshot().heaps()).noneMatch(s -> s.heap().startsWith("refused-"));
        assertThat(Custody.heaps()).containsAll(before);
    }

    /** Default names used to repeat ("region"), which made Snapshot.diff merge them. */
    @Test
    void defaultPoolNamesCarrySerials() {
        try (Region a = Heaps.region(Heaps.libc(), 4096); Region b = Heaps.region(Heaps.libc(), 4096);
             Slab s = Heaps.slab(Heaps.libc(), 64, 8); Region f = Heaps.flatRegion(1 << 20)) {
            assertThat(a.name()).matches("region-\\d+");
            assertThat(b.name()).matches("region-\\d+").isNotEqualTo(a.name());
            assertThat(s.name()).matches("slab-\\d+");
            assertThat(f.name()).matches("flat-region-\\d+");
        }
    }

    /**
     * Law 4 for NULL, on every heap kind: the old code threw an internal NullPointerException,
     * because the registry's empty-slot key 0 matched address 0.
     */
    @Test
    void aFreeOfNullIsAnUnknownBlockOnEveryHeapKind() {
        Heap child = Heaps.libc().child("null-child", Long.MAX_VALUE);
        try (Region region = Heaps.region(Heaps.libc(), 4096); Region flat = Heaps.flatRegion(1 << 20);
             Slab slab = Heaps.slab(Heaps.libc(), 64, 8);
             var poisoning = DebugHeaps.poisoning(Heaps.libc(), DebugOptions.defaults());
             var guarded = DebugHeaps.guarded(Heaps.libc(), DebugOptions.defaults())) {
            for (Heap h : List.of(Heaps.libc(), Allocators.mimalloc(), Allocators.sqlite(), child, region, flat, slab,
                    poisoning, guarded)) {
                assertThatThrownBy(() -> h.free(MemorySegment.NULL)).as(h.name())
                        .isInstanceOf(UnknownBlockException.class).hasMessageContaining("unknown address 0x0");
            }
        }
        child.close();
    }
}
