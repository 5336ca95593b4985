package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.Tags;
import dev.custody.scoped.Region;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An arena segment dies with its block however the block dies; the arena's close frees the rest. */
class HeapArenaTest {
    private static final Tag TAG = Tag.of("heap-arena-test");

    private static void assertDead(MemorySegment s) {
        assertThatThrownBy(() -> s.get(JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Already closed");
    }

    @Test
    void aSegmentFreedByRawAddressDiesAndTheCloseFreesTheRest() {
        Heap h = Heaps.libc().child("arena-raw-free", Long.MAX_VALUE);
        MemorySegment a;
        MemorySegment b;
        try (Tags.Scope t = Tags.push(TAG)) {
            Arena arena = h.asArena();
            a = arena.allocate(JAVA_LONG, 4);
            b = arena.allocate(JAVA_LONG, 4);
            b.set(JAVA_LONG, 0, 5L);
            h.free(a);
            assertDead(a); // the old code's segment read malloc's metadata here
            assertThat(b.get(JAVA_LONG, 0)).isEqualTo(5L);
            arena.close(); // the old code threw DoubleFreeException and never freed b
        }
        assertDead(b);
        assertThat(h.stats().tag(TAG).liveBlocks()).isZero();
        h.close();
    }

    @Test
    void aRegionsReleaseKillsItsArenaSegments() {
        Region r = Heaps.region("arena-region", Heaps.libc(), 4096);
        Arena arena = r.asArena();
        MemorySegment s = arena.allocate(64, 8);
        s.set(JAVA_LONG, 0, 1L);
        assertThat(r.release()).isEqualTo(1);
        assertDead(s);
        arena.close();
        assertThat(r.stats().total().liveBlocks()).isZero();
        r.close();
    }

    @Test
    void freeLeakedKillsArenaSegmentsAndTheCloseThenFreesNothingTwice() {
        Heap h = Heaps.libc().child("arena-free-leaked", Long.MAX_VALUE);
        Arena arena = h.asArena();
        MemorySegment s = arena.allocate(64, 8);
        assertThat(h.freeLeaked()).isEqualTo(1);
        assertDead(s);
        arena.close();
        MemorySegment after = h.asArena().allocate(8, 8); // a fresh arena of the same heap still works
        assertThat(h.stats().total().liveBlocks()).isEqualTo(1);
        assertThat(h.freeLeaked()).isEqualTo(1);
        assertDead(after);
        assertThat(h.stats().total().frees()).isEqualTo(2);
        h.close();
    }
}
