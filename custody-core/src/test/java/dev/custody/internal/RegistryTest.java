package dev.custody.internal;

import dev.custody.Heaps;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryTest {
    private static final AbstractHeap HEAP = (AbstractHeap) Heaps.libc();
    private static final Tag TAG = Tag.of("registry-test");
    /** Addresses in a range no allocator hands out (the kernel's half), so they never collide. */
    private static final long BASE = 0xFFFF_8000_0000_0000L;

    private static BlockImpl fake(long address) {
        return new BlockImpl(HEAP, address, address, 16, TAG, 0, false);
    }

    @Test
    void addFindRemoveThroughGrowthAndTombstones() {
        List<BlockImpl> blocks = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            BlockImpl b = fake(BASE + i * 16L);
            assertThat(Registry.add(b)).isNull();
            blocks.add(b);
        }
        for (BlockImpl b : blocks) {
            assertThat(Registry.find(b.address)).isSameAs(b);
            assertThat(Registry.add(fake(b.address))).as("a second add reports the first").isSameAs(b);
        }
        for (int i = 0; i < blocks.size(); i += 2) {
            Registry.remove(blocks.get(i));
        }
        for (int i = 0; i < blocks.size(); i++) {
            assertThat(Registry.find(blocks.get(i).address)).isSameAs(i % 2 == 0 ? null : blocks.get(i));
        }
        // removing a different block at the same address leaves the registered one
        BlockImpl other = fake(blocks.get(1).address);
        Registry.remove(other);
        assertThat(Registry.find(other.address)).isSameAs(blocks.get(1));
        blocks.forEach(Registry::remove);
        assertThat(Registry.all()).noneMatch(b -> b.tag == TAG);
    }

    @Test
    void concurrentAddsAndRemovesLoseNothing() throws Exception {
        ExecutorService ex = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<BlockImpl>>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long base = BASE + (t + 1L) * (1L << 32);
                int seed = t;
                fs.add(ex.submit(() -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    List<BlockImpl> kept = new ArrayList<>();
                    for (int i = 0; i < 100_000; i++) {
                        BlockImpl b = fake(base + i * 16L);
                        assertThat(Registry.add(b)).isNull();
                        if (r.nextInt(4) == 0) {
                            kept.add(b);
                        } else {
                            Registry.remove(b);
                        }
                    }
                    return kept;
                }));
            }
            for (Future<List<BlockImpl>> f : fs) {
                for (BlockImpl b : f.get()) {
                    assertThat(Registry.find(b.address)).isSameAs(b);
                    Registry.remove(b);
                    assertThat(Registry.find(b.address)).isNull();
                }
            }
        } finally {
            ex.shutdownNow();
        }
    }
}
