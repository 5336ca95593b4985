package dev.custody;

import dev.custody.scoped.Region;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotTest {
    private static final Tag TAG = Tag.of("snapshot-test");

    /**
     * Two heaps of one name: the growth of the first must show. The old diff was keyed by name, so
     * the second heap's line replaced the first's and the leak was hidden.
     */
    @Test
    void aDiffKeepsApartHeapsThatShareAName() {
        try (Region leaky = Heaps.region("level", Heaps.libc(), 4096);
             Region quiet = Heaps.region("level", Heaps.libc(), 4096)) {
            Snapshot before = Custody.snapshot();
            leaky.allocate(100, TAG);
            Snapshot.Diff d = Custody.snapshot().diff(before);
            assertThat(d.noGrowth()).as("the leak shows").isFalse();
            assertThat(d.byHeap()).containsKeys("level#" + id(leaky), "level#" + id(quiet));
            assertThat(d.byHeap().get("level#" + id(leaky)).liveBytes()).isEqualTo(100);
            assertThat(d.byHeap().get("level#" + id(quiet)).liveBytes()).isZero();
            leaky.release();
            assertThat(Custody.snapshot().diff(before).noGrowth()).isTrue();
        }
    }

    /** A heap made or closed between the two snapshots is compared against zero, by identity. */
    @Test
    void aHeapInOnlyOneSnapshotIsComparedAgainstZero() {
        Snapshot before = Custody.snapshot();
        Heap h = Heaps.libc().child("snapshot-only-after", Long.MAX_VALUE);
        Block b = h.allocate(10, TAG);
        Snapshot.Diff d = Custody.snapshot().diff(before);
        assertThat(d.byHeap().get("snapshot-only-after").liveBytes()).isEqualTo(10);
        b.free();
        Snapshot during = Custody.snapshot();
        h.close();
        assertThat(Custody.snapshot().diff(during).byHeap()).containsKey("snapshot-only-after");
    }

    private static long id(Heap h) {
        return h.stats().id();
    }
}
