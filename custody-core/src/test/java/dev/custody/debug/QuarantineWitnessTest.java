package dev.custody.debug;

import dev.custody.Block;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.observe.ProcessMemory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * glibc's own count (mallinfo2), not custody's books, shows that the quarantine holds freed memory
 * and that closing the heap gives every byte back. Blocks of 256 KiB are above glibc's mmap
 * threshold, so each is its own mapping in {@code hblkhd}, of the block, its 32 canary bytes and
 * glibc's header rounded up to a page: 256 KiB + 4 KiB. A first round, not measured, loads and
 * compiles what the measured round runs, so that the JVM's own mallocs stay small meanwhile.
 */
class QuarantineWitnessTest {
    private static final long BLOCK = 256 << 10;
    private static final int COUNT = 32; // 8 MiB
    /**
     * The JVM's own mallocs meanwhile: usually a few KiB, but a compiler thread can take a few MiB
     * at any moment. Stated tolerance 4 MiB against 8 MiB moved, and each check one-sided in the
     * direction a fault would push it: memory not held, or not given back.
     */
    private static final long TOLERANCE = 4 << 20;

    @Test
    void freedMemoryStaysHeldUntilTheQuarantineLetsGo() {
        assumeTrue(ProcessMemory.singleArena(), "mallinfo2 is exact only under MALLOC_ARENA_MAX=1");
        round(false);
        round(true);
    }

    private static void round(boolean measure) {
        DebugHeap h = DebugHeaps.poisoning(Heaps.libc());
        long before = ProcessMemory.mallinfoInUse();
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            blocks.add(h.allocate(BLOCK, Tag.of("witness")));
        }
        long held = COUNT * (BLOCK + 4096);
        long allocated = ProcessMemory.mallinfoInUse();
        blocks.forEach(Block::free);
        assertThat(h.stats().total().liveBytes()).isZero();
        assertThat(h.quarantinedBlocks()).isEqualTo(COUNT);
        long quarantined = ProcessMemory.mallinfoInUse();
        h.close();
        long closed = ProcessMemory.mallinfoInUse();
        if (measure) {
            // each step measured on its own, so the JVM's drift counts only over that step
            assertThat(allocated - before).as("allocated").isGreaterThan(held - TOLERANCE);
            assertThat(quarantined - allocated).as("quarantined, not yet freed").isGreaterThan(-TOLERANCE);
            assertThat(quarantined - closed).as("given back at the close").isGreaterThan(held - TOLERANCE);
            assertThat(closed - before).as("all given back").isLessThan(TOLERANCE);
        }
    }
}
