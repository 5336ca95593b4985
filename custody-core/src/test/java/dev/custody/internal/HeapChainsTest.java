package dev.custody.internal;

import dev.custody.Block;
import dev.custody.Custody;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.LeakException;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 9's last point: when the books show live blocks, {@code liveBlocks()}, {@code close()} and
 * {@code assertNothingOutstanding()} visit only the heap's own blocks (its chains), so their cost
 * does not grow with other heaps' live blocks. Measured in visited entries, not time.
 */
class HeapChainsTest {
    private static final Tag TAG = Tag.of("heap-chains-test");
    private static final int OWN = 10;

    /** The entries the scans visited while {@code r} ran. */
    private static long visits(Runnable r) {
        long before = Registry.visited();
        r.run();
        return Registry.visited() - before;
    }

    @Test
    void listingAHeapsLiveBlocksVisitsItsOwnWhateverOtherHeapsHold() {
        Heap mine = Heaps.libc().child("chains-mine", Long.MAX_VALUE);
        Heap other = Heaps.libc().child("chains-other", Long.MAX_VALUE);
        List<Block> own = new ArrayList<>();
        for (int i = 0; i < OWN; i++) {
            own.add(mine.allocate(64, TAG));
        }
        long alone = visits(() -> assertThat(mine.liveBlocks()).hasSize(OWN));
        assertThat(alone).isEqualTo(OWN);

        List<Block> others = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            others.add(other.allocate(64, TAG));
        }
        assertThat(visits(() -> assertThat(mine.liveBlocks()).hasSize(OWN))).isEqualTo(alone);
        assertThat(visits(() -> assertThatThrownBy(mine::close).isInstanceOf(LeakException.class)))
                .isEqualTo(alone);
        assertThat(visits(() -> assertThatThrownBy(() -> Custody.assertNothingOutstanding(mine))
                .isInstanceOf(LeakException.class))).isEqualTo(alone);

        others.forEach(Block::free);
        own.forEach(Block::free);
        mine.close();
        other.close();
    }

    /**
     * A heap's chains hold its live blocks and a bounded number of dead ones: after 200,000 blocks
     * allocated and freed around 10 live ones, a scan visits at most the registry's slots (which
     * hold what is live within a factor of eight), and the next one only the live blocks.
     */
    @Test
    void deadBlocksDoNotAccumulateInAHeapsChains() {
        Heap h = Heaps.libc().child("chains-churn", Long.MAX_VALUE);
        List<Block> live = new ArrayList<>();
        for (int i = 0; i < OWN; i++) {
            live.add(h.allocate(64, TAG));
        }
        List<Block> batch = new ArrayList<>();
        for (int round = 0; round < 2_000; round++) {
            for (int i = 0; i < 100; i++) {
                batch.add(h.allocate(16 + (i % 7) * 16, TAG));
            }
            batch.forEach(Block::free);
            batch.clear();
        }
        long bound = Registry.capacity();
        assertThat(visits(() -> assertThat(h.liveBlocks()).hasSize(OWN))).isLessThanOrEqualTo(bound);
        assertThat(visits(() -> assertThat(h.liveBlocks()).hasSize(OWN))).as("the scan unlinked the dead")
                .isEqualTo(OWN);
        live.forEach(Block::free);
        h.close();
    }

    /** A parent lists its descendants' blocks from their chains, and forgets a child closed empty. */
    @Test
    void aParentListsItsDescendantsBlocks() {
        Heap parent = Heaps.libc().child("chains-parent", Long.MAX_VALUE);
        Heap child = parent.child("chains-child", Long.MAX_VALUE);
        Block a = child.allocate(32, TAG);
        Heap grandchild = child.child("chains-grandchild", Long.MAX_VALUE);
        Block b = grandchild.allocate(32, TAG);
        assertThat(parent.liveBlocks()).containsExactlyInAnyOrder(a, b);
        assertThat(child.liveBlocks()).containsExactlyInAnyOrder(a, b);
        assertThat(grandchild.liveBlocks()).containsExactly(b);
        b.free();
        grandchild.close();
        a.free();
        child.close();
        assertThat(parent.liveBlocks()).isEmpty();
        parent.close();
    }
}
