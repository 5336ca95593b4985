package dev.custody.scoped;

import dev.custody.AllocationFailedException;
import dev.custody.Block;
import dev.custody.Heaps;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The flat region: one reserved range that never moves, committed as it grows. Witness: smaps. */
class FlatRegionTest {
    private static final Tag LEVEL = Tag.of("flat-test-level");
    private static final long RESERVE = 64L << 20;
    private static final long STEP = 64 * 1024;

    @Test
    void blocksAreContiguousInOneRangeThatNeverMovesAcrossGrowthAndReleases() {
        Region r = Heaps.flatRegion("never-moves", RESERVE);
        long first = r.allocate(100, LEVEL).address();
        long expected = first + 112;
        for (int i = 0; i < 10_000; i++) { // 10,000 x 1 KiB: the commit grows 150-odd times
            Block b = r.allocate(1024, LEVEL);
            assertThat(b.address()).isEqualTo(expected);
            expected += 1024;
        }
        assertThat(expected - first).isLessThan(RESERVE);
        r.release();
        assertThat(r.allocate(100, LEVEL).address()).isEqualTo(first); // the next level: same addresses
        r.release();
        r.close();
    }

    @Test
    void commitsLazilyAndTheReleaseGivesThePagesBack() throws Exception {
        Region r = Heaps.flatRegion("lazy", RESERVE);
        Block first = r.allocate(16, LEVEL);
        long base = first.address();
        long end = base + RESERVE;
        Smaps fresh = Smaps.of(base, end);
        // The kernel sees the whole reservation, committed (read-write) only for the first step.
        assertThat(fresh.size()).isEqualTo(RESERVE);
        assertThat(fresh.readWrite()).isEqualTo(STEP).isEqualTo(r.heldBytes());
        assertThat(fresh.rss()).isLessThanOrEqualTo(STEP);

        long n = 4L << 20;
        Block big = r.allocate(n, LEVEL);
        MemorySegment s = big.segment();
        for (long i = 0; i < n; i += 4096) {
            s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) 1);
        }
        Smaps touched = Smaps.of(base, end);
        assertThat(touched.readWrite()).isEqualTo(r.heldBytes()).isBetween(n, n + 2 * STEP);
        assertThat(touched.rss()).isBetween(n, n + 2 * STEP); // tolerance: the pages of the first commit step
        assertThat(touched.size()).isEqualTo(RESERVE);

        r.release();
        Smaps released = Smaps.of(base, end);
        assertThat(released.rss()).isZero();
        assertThat(released.readWrite()).isZero();
        assertThat(released.size()).isEqualTo(RESERVE); // reservation kept
        assertThat(r.heldBytes()).isZero();
        r.close();
        assertThat(Smaps.of(base, end).size()).isZero(); // unmapped
    }

    @Test
    void aFullReservationFailsCleanly() {
        Region r = Heaps.flatRegion("full", 1 << 20);
        Block b = r.allocate(800 * 1024, LEVEL);
        assertThatThrownBy(() -> r.allocate(300 * 1024, LEVEL)).isInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("reservation of 1048576 B is full");
        assertThatThrownBy(() -> r.allocate(2 << 20, LEVEL)).isInstanceOf(AllocationFailedException.class);
        assertThat(r.stats().tag(LEVEL).liveBytes()).isEqualTo(800 * 1024);
        assertThat(b.isLive()).isTrue();
        r.release();
        r.close();
        assertThatThrownBy(() -> Heaps.flatRegion(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
