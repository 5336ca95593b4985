package dev.custody;

import dev.custody.observe.ProcessMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent witness of custody's books: glibc's mallinfo2 (uordblks + hblkhd), exact because
 * the tests run under MALLOC_ARENA_MAX=1.
 */
class MallinfoWitnessTest {
    static void cycles(Heap heap, Tag tag, int n) {
        for (int i = 0; i < n; i++) {
            Block b = heap.allocate(16 + (i % 64) * 16, tag);
            b.segment().set(ValueLayout.JAVA_INT, 0, i);
            b.free();
        }
    }

    @Test
    void mallinfoReturnsToBaselineAfterAllocateFreeCycles() {
        assertThat(ProcessMemory.singleArena()).as("run under MALLOC_ARENA_MAX=1").isTrue();
        Heap libc = Heaps.libc();
        Tag tag = Tag.of("witness");
        cycles(libc, tag, 20_000); // warm-up: JIT and class loading allocate too
        long before = Witness.settled();
        cycles(libc, tag, Allocators.count(100_000, 1_000_000));
        long after = Witness.settled();
        System.out.printf("mallinfo2 in use: before %d B, after %d B, delta %d B (tolerance %d B)%n", before, after,
                after - before, Witness.TOLERANCE);
        assertThat(Math.abs(after - before)).isLessThan(Witness.TOLERANCE);
        assertThat(libc.stats().tag(tag).liveBlocks()).isZero();
    }

    @Test
    void theWitnessSeesARealLeak() {
        // The negative control: without it, a witness that never moves would pass the test above.
        Heap libc = Heaps.libc();
        Tag tag = Tag.of("witness-leak");
        cycles(libc, tag, 1000);
        long before = Witness.settled();
        List<Block> leak = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            leak.add(libc.allocate(1000, tag));
        }
        long after = Witness.settled();
        assertThat(after - before).as("4,000 leaked blocks of 1,000 B").isBetween(4_000_000L, 4_000_000L + Witness.TOLERANCE);
        leak.forEach(Block::free);
        assertThat(Witness.settled() - before).isLessThan(Witness.TOLERANCE);
    }
}
