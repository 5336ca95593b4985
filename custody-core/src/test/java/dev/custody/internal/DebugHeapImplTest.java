package dev.custody.internal;

import dev.custody.AllocationFailedException;
import dev.custody.Block;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.debug.Corruption;
import dev.custody.debug.DebugHeap;
import dev.custody.debug.DebugHeaps;
import dev.custody.debug.DebugOptions;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Debug heaps over pools: the pool's release kills the debug blocks, and the books stay exact. */
class DebugHeapImplTest {
    private static final Tag TAG = Tag.of("debug-over-pool");

    private static void assertEmpty(Heap h) {
        Figures f = h.stats().total();
        assertThat(new long[] {f.liveBytes(), f.liveBlocks()}).as("books of %s", h.name()).containsExactly(0, 0);
    }

    /** The old code killed the memory under the block: "live -32 B in 0 blocks", the block live over freed chunks. */
    @Test
    void aRegionsReleaseKillsTheDebugHeapsBlocksAndKeepsTheBooks() {
        Region r = Heaps.region("debug-region", Heaps.libc(), 4096);
        DebugHeap d = DebugHeaps.poisoning(r);
        Block b = d.allocate(64, TAG);
        MemorySegment s = b.segment();
        s.set(JAVA_LONG, 0, 1L);
        assertThat(r.stats().total().liveBytes()).isEqualTo(64);
        assertThat(r.release()).isEqualTo(1);
        assertThat(b.isLive()).isFalse();
        assertThatThrownBy(() -> s.get(JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        assertEmpty(d);
        assertEmpty(r);
        assertThat(d.quarantinedBlocks()).isZero(); // checked and dropped before the chunks went back
        Block again = d.allocate(16, TAG); // the region carves afresh
        again.free();
        d.close();
        r.release();
        r.close();
    }

    @Test
    void aWriteAfterFreeInARegionIsFoundBeforeItsReleaseGivesTheMemoryBack() {
        Region r = Heaps.region("debug-region-waf", Heaps.libc(), 4096);
        List<Corruption> heard = new ArrayList<>();
        DebugHeap d = DebugHeaps.poisoning(r, DebugOptions.defaults().withListener(heard::add));
        Block b = d.allocate(64, TAG);
        long address = b.address();
        b.free();
        MemorySegment.ofAddress(address).reinterpret(64).set(JAVA_LONG, 8, 42L);
        r.release();
        assertThat(heard).singleElement().extracting(Corruption::kind).isEqualTo(Corruption.Kind.WRITE_AFTER_FREE);
        assertEmpty(r);
        r.close();
    }

    /** The old code left guarded blocks live, and counted in the region, after its release. */
    @Test
    void aRegionsReleaseKillsGuardedBlocksOverIt() throws Exception {
        Region r = Heaps.region("guarded-region", Heaps.libc(), 4096);
        DebugHeap d = DebugHeaps.guarded(r, DebugOptions.defaults());
        Block b = d.allocate(64, TAG);
        MemorySegment s = b.segment();
        s.set(JAVA_LONG, 0, 1L);
        Throwable t = java.util.concurrent.CompletableFuture.runAsync(() -> d.allocate(8, TAG)).handle((v, e) -> e)
                .get();
        assertThat(t).cause().isInstanceOf(WrongThreadException.class);
        assertThat(d.guardedBlocks()).isEqualTo(1);
        assertThat(r.release()).isEqualTo(1);
        assertThat(b.isLive()).isFalse();
        assertThatThrownBy(() -> s.get(JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        assertEmpty(r);
        assertThat(d.quarantinedBlocks()).isZero(); // its mapping went at the release
        d.close();
        r.close();
    }

    /** A debug heap over a debug heap over a region: both quarantines leave before the chunks do. */
    @Test
    void nestedDebugHeapsOverARegionEmptyEveryQuarantineAtTheRelease() {
        Region r = Heaps.region("debug-debug-region", Heaps.libc(), 4096);
        DebugHeap inner = DebugHeaps.poisoning(r);
        DebugHeap outer = DebugHeaps.poisoning(inner);
        Block b = outer.allocate(64, TAG);
        b.free();
        Block c = outer.allocate(32, TAG);
        assertThat(outer.quarantinedBlocks()).isEqualTo(1);
        assertThat(r.release()).isEqualTo(1);
        assertThat(c.isLive()).isFalse();
        assertThat(outer.quarantinedBlocks()).isZero();
        assertThat(inner.quarantinedBlocks()).as("what the outer gave back went on, not into freed memory").isZero();
        assertEmpty(outer);
        assertEmpty(inner);
        assertEmpty(r);
        outer.close();
        inner.close();
        r.close();
    }

    /** The old code made a counted block that the region's release then killed under its count. */
    @Test
    void aDebugHeapOverARegionRefusesCountedBlocks() {
        Region r = Heaps.region("debug-region-counted", Heaps.libc(), 4096);
        DebugHeap d = DebugHeaps.poisoning(r);
        assertThatThrownBy(() -> d.allocateShared(64, TAG)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("region 'debug-region-counted'");
        assertEmpty(r);
        d.close();
        r.close();
    }

    /** The old code refused every size: "beyond what the allocator can express (-7936 B)". */
    @Test
    void aDebugHeapOverASlabFitsItsCanariesInTheSlot() {
        Heap parent = Heaps.libc().child("debug-slab-parent", Long.MAX_VALUE);
        Slab slab = Heaps.slab("debug-slab", parent, 64, 4);
        DebugHeap d = DebugHeaps.poisoning(slab);
        Block b = d.allocate(32, TAG);
        b.segment().set(JAVA_LONG, 24, 3L);
        assertThat(slab.stats().tag(TAG).liveBytes()).isEqualTo(32);
        assertThat(slab.stats().tag(TAG).liveBlocks()).isEqualTo(1);
        assertThatThrownBy(() -> d.allocate(33, TAG)).isInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("(32 B)");
        b.free();
        assertEmpty(d);
        assertEmpty(slab);
        d.close();
        slab.close();
        assertEmpty(parent);
        parent.close();
    }

    @Test
    void aSlabsCloseChecksAndDropsTheQuarantineOverIt() {
        Heap parent = Heaps.libc().child("debug-slab-close-parent", Long.MAX_VALUE);
        Slab slab = Heaps.slab("debug-slab-close", parent, 64, 4);
        List<Corruption> heard = new ArrayList<>();
        DebugHeap d = DebugHeaps.poisoning(slab, DebugOptions.defaults().withListener(heard::add));
        Block b = d.allocate(16, TAG);
        long address = b.address();
        b.free();
        MemorySegment.ofAddress(address).reinterpret(16).set(JAVA_LONG, 0, 42L);
        slab.close(); // the slabs go back to the parent: the quarantine in them leaves first
        assertThat(heard).singleElement().extracting(Corruption::kind).isEqualTo(Corruption.Kind.WRITE_AFTER_FREE);
        assertThat(d.quarantinedBlocks()).isZero();
        assertEmpty(parent);
        parent.close();
    }
}
