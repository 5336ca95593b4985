package dev.custody;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class SharedBlockTest {
    private final Heap mi = Allocators.mimalloc();

    @Test
    void freedExactlyOnceWhenTheCountReachesZeroAndNeverResurrects() {
        Tag t = Tag.of("shared");
        SharedBlock s = mi.allocateShared(256, t);
        s.segment().set(ValueLayout.JAVA_INT, 0, 1);
        assertThat(s.refCount()).isEqualTo(1);
        s.retain().retain();
        assertThat(s.refCount()).isEqualTo(3);
        assertThatThrownBy(s::free).isInstanceOf(BlockInUseException.class)
                .hasMessageContaining("its reference count is 3");
        assertThat(s.release()).isFalse();
        assertThat(s.release()).isFalse();
        assertThat(mi.stats().tag(t).liveBlocks()).isEqualTo(1);
        assertThat(s.release()).isTrue();
        assertThat(mi.stats().tag(t).liveBlocks()).isZero();
        assertThat(mi.stats().tag(t).frees()).isEqualTo(1);
        assertThatThrownBy(s::retain).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(s::release).isInstanceOf(DoubleFreeException.class);
        assertThat(s.refCount()).isZero();
        assertThat(mi.stats().tag(t).frees()).isEqualTo(1);
    }

    @Test
    void viewsHoldAReference() throws Exception {
        SharedBlock s = mi.allocateShared(64, Tag.of("shared-views"));
        try (BlockView v = s.open()) {
            assertThat(s.refCount()).isEqualTo(2);
            assertThat(s.release()).isFalse(); // the view keeps it alive
            v.segment().set(ValueLayout.JAVA_INT, 0, 4);
            assertThat(s.isLive()).isTrue();
        }
        assertThat(s.isLive()).isFalse(); // the view's close was the last release
    }

    @Test
    void sharedBlocksCannotBeHandedOffOrReallocated() {
        SharedBlock s = mi.allocateShared(64, Tag.of("shared-handoff"));
        assertThatThrownBy(() -> s.handOff(mi)).isInstanceOf(IllegalHandOffException.class);
        assertThatThrownBy(() -> mi.reallocate(s, 128)).isInstanceOf(CustodyException.class);
        assertThat(s.release()).isTrue();
    }

    @Test
    void theGarbageCollectorFindsAnUnreleasedBlockFreesItAndReportsIt() {
        Heap h = mi.child("gc-leaks", Long.MAX_VALUE);
        h.setTracking(Tracking.FULL, 1);
        List<Leak> reported = new CopyOnWriteArrayList<>();
        List<Boolean> freed = new CopyOnWriteArrayList<>();
        h.setLeakListener((leak, f) -> {
            reported.add(leak);
            freed.add(f);
        });
        Tag t = Tag.of("gc-leak");
        dropUnreleased(h, t);
        await().atMost(30, TimeUnit.SECONDS).until(() -> {
            System.gc();
            return !reported.isEmpty();
        });
        Leak l = reported.getFirst();
        assertThat(l.size()).isEqualTo(100);
        assertThat(l.tag()).isSameAs(t);
        assertThat(l.site().caller()).contains("dropUnreleased");
        assertThat(freed).containsExactly(true);
        Figures f = h.stats().tag(t);
        assertThat(f.leaksCollected()).isEqualTo(1);
        assertThat(f.liveBlocks()).isZero();
        assertThat(f.frees()).isEqualTo(1);
        h.close();
    }

    private static void dropUnreleased(Heap h, Tag t) {
        SharedBlock s = h.allocateShared(100, t);
        s.retain();
        s.release();
    }

    /** The old code booked the block as freed and left its count at 0, though its memory never went back. */
    @Test
    void aLastReleaseWhoseFreeFailsGivesTheCountBack() {
        FailingAllocator a = new FailingAllocator();
        Heap h = Heaps.of("shared-free-fails", a);
        Tag t = Tag.of("shared-failing");
        SharedBlock s = h.allocateShared(64, t);
        a.failing = true;
        assertThatThrownBy(s::release).isInstanceOf(FreeFailedException.class);
        assertThat(s.refCount()).isEqualTo(1);
        assertThat(s.isLive()).isTrue();
        assertThat(h.stats().tag(t).liveBlocks()).isEqualTo(1);
        assertThatThrownBy(s::free).isInstanceOf(FreeFailedException.class);
        assertThat(s.refCount()).isEqualTo(1);
        a.failing = false;
        assertThat(s.release()).isTrue();
        assertThat(h.stats().tag(t).liveBlocks()).isZero();
    }
}
