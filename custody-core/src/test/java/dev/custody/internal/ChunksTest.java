package dev.custody.internal;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.WrongHeapException;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A pool's chunks are the pool's: the parent cannot free them and does not list them as its leaks. */
class ChunksTest {
    private static final Tag TAG = Tag.of("chunks-test");
    private static final Tag REGION_CHUNKS = Tag.of("region-chunks");
    private static final Tag SLABS = Tag.of("slabs");

    @Test
    void theOuterRegionsReleaseCannotFreeTheInnerRegionsChunk() {
        Region outer = Heaps.region("outer", Heaps.libc(), 1 << 16);
        Region inner = Heaps.region("inner", outer, 4096);
        Block b = inner.allocate(64, TAG);
        b.segment().set(JAVA_INT, 0, 11);
        assertThatThrownBy(outer::release).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("held by pool 'inner'");
        assertThat(b.isLive()).isTrue();
        assertThat(b.segment().get(JAVA_INT, 0)).isEqualTo(11); // the old code's release freed it under b
        assertThat(outer.stats().tag(REGION_CHUNKS).liveBlocks()).isEqualTo(1);
        assertThat(inner.release()).isEqualTo(1);
        assertThat(outer.stats().tag(REGION_CHUNKS).liveBlocks()).isZero(); // the inner region gave its chunk back
        assertThat(outer.release()).isZero();
        inner.close();
        outer.close();
    }

    @Test
    void theParentsFreeLeakedAndRawFreeLeaveARegionsChunkAlone() {
        Heap h = Heaps.libc().child("region-parent", Long.MAX_VALUE);
        Region r = Heaps.region("held-region", h, 4096);
        Block b = r.allocate(64, TAG);
        b.segment().set(JAVA_INT, 0, 5);
        assertThat(h.liveBlocks()).isEmpty(); // the old code listed the chunk as the parent's
        assertThat(h.freeLeaked()).isZero();
        long chunk = b.address() - Chunks.HEADER; // the first block sits just past the chunk's header
        assertThatThrownBy(() -> h.free(MemorySegment.ofAddress(chunk))).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("held by pool 'held-region'");
        assertThat(b.segment().get(JAVA_INT, 0)).isEqualTo(5);
        assertThat(h.stats().tag(REGION_CHUNKS).liveBlocks()).isEqualTo(1); // counted, as the pool's
        h.close(); // no leak of the parent's: the chunk is the region's
        assertThat(r.release()).isEqualTo(1);
        assertThat(h.stats().tag(REGION_CHUNKS).liveBlocks()).isZero();
        r.close();
    }

    @Test
    void theParentCannotFreeASlabsSlab() {
        Heap h = Heaps.libc().child("slab-parent", Long.MAX_VALUE);
        Slab s = Heaps.slab("held-slab", h, 64, 8);
        Block b = s.allocate(64, TAG);
        b.segment().set(JAVA_INT, 0, 3);
        assertThat(h.liveBlocks()).isEmpty();
        assertThat(h.freeLeaked()).isZero();
        long slab = b.address() - Chunks.HEADER;
        assertThatThrownBy(() -> h.free(MemorySegment.ofAddress(slab))).isInstanceOf(WrongHeapException.class);
        assertThat(b.segment().get(JAVA_INT, 0)).isEqualTo(3);
        assertThat(h.stats().tag(SLABS).liveBlocks()).isEqualTo(1);
        b.free();
        s.close();
        assertThat(h.stats().total().liveBlocks()).isZero();
        h.close();
    }
}
