package dev.custody.internal;

import dev.custody.Block;
import dev.custody.BlockInUseException;
import dev.custody.BlockView;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.SharedBlock;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The count of a shared block cannot be bypassed, and no path strands it. */
class SharedCoreTest {
    private static final Tag TAG = Tag.of("shared-core-test");

    @Test
    void liveBlocksHandsOutTheSharedBlockWhoseFreeRespectsTheCount() {
        Heap h = Heaps.libc().child("shared-live-blocks", Long.MAX_VALUE);
        SharedBlock s = h.allocateShared(64, TAG);
        s.retain();
        List<Block> live = h.liveBlocks();
        assertThat(live).hasSize(1);
        assertThat(live.getFirst()).isSameAs(s);
        // the old code listed the core, whose free() freed the block with a count of 2
        assertThatThrownBy(() -> live.getFirst().free()).isInstanceOf(BlockInUseException.class);
        assertThat(s.isLive()).isTrue();
        assertThat(s.retain().refCount()).isEqualTo(3);
        assertThat(s.release()).isFalse();
        assertThat(s.release()).isFalse();
        assertThat(s.release()).isTrue();
        h.close();
    }

    @Test
    void aViewsBlockIsTheSharedBlock() {
        Heap h = Heaps.libc().child("shared-view-block", Long.MAX_VALUE);
        SharedBlock s = h.allocateShared(64, TAG);
        try (BlockView v = s.open()) {
            assertThat(v.block()).isSameAs(s);
            assertThatThrownBy(() -> v.block().free()).isInstanceOf(BlockInUseException.class);
        }
        assertThat(s.refCount()).isEqualTo(1);
        assertThat(s.release()).isTrue();
        h.close();
    }

    /** The core's own free, for a core whose handle is gone, is the counted free too. */
    @Test
    void theCoresFreeIsCounted() {
        Heap h = Heaps.libc().child("shared-core-free", Long.MAX_VALUE);
        SharedHandle s = (SharedHandle) h.allocateShared(64, TAG);
        s.retain();
        assertThatThrownBy(s.core::free).isInstanceOf(BlockInUseException.class);
        s.release();
        s.core.free();
        assertThat(s.isLive()).isFalse();
        h.close();
    }

    /** The old code drained the count under the view: its close threw DoubleFreeException, and the block was stranded. */
    @Test
    void freeLeakedLeavesABlockWithAnOpenViewAndItsCountAlone() {
        Heap h = Heaps.libc().child("shared-free-leaked-view", Long.MAX_VALUE);
        SharedBlock s = h.allocateShared(64, TAG);
        BlockView v = s.open();
        assertThat(h.freeLeaked()).isZero();
        assertThat(s.refCount()).isEqualTo(2);
        v.close();
        assertThat(s.refCount()).isEqualTo(1);
        assertThat(h.freeLeaked()).isEqualTo(1);
        assertThat(s.isLive()).isFalse();
        h.close();
    }

    @Test
    void aBlockWhoseHandleWasCollectedUnderAViewIsFreedWhenTheViewCloses() {
        Heap h = Heaps.libc().child("shared-orphan", Long.MAX_VALUE);
        List<Boolean> reported = new CopyOnWriteArrayList<>();
        h.setLeakListener((leak, freed) -> reported.add(freed));
        BlockView v = openAndDrop(h);
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            System.gc();
            return !reported.isEmpty();
        });
        assertThat(reported).containsExactly(false); // views open: not freed yet
        assertThat(v.segment().get(JAVA_INT, 0)).isEqualTo(42);
        assertThat(h.stats().tag(TAG).liveBlocks()).isEqualTo(1);
        v.close();
        assertThat(h.stats().tag(TAG).liveBlocks()).isZero(); // the old code never freed it
        assertThat(h.stats().tag(TAG).frees()).isEqualTo(1);
        assertThat(h.stats().tag(TAG).leaksCollected()).isEqualTo(1);
        h.close();
    }

    private static BlockView openAndDrop(Heap h) {
        SharedBlock s = h.allocateShared(64, TAG);
        s.segment().set(JAVA_INT, 0, 42);
        return s.open();
    }
}
