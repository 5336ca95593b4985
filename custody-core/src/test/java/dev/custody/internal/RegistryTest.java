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

    /** What a free does to the registry: the block dies, and its entry with it. */
    private static void kill(BlockImpl b) {
        b.killUnreachable(); // any thread, idempotent: the registry sees only the state word
    }

    @Test
    void addFindAndDeathThroughGrowthAndSweeps() {
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
            kill(blocks.get(i));
        }
        for (int i = 0; i < blocks.size(); i++) {
            assertThat(Registry.find(blocks.get(i).address)).isSameAs(i % 2 == 0 ? null : blocks.get(i));
        }
        // a dead block's address taken again, as an allocator reuses it: the new block is found
        BlockImpl reused = fake(blocks.get(0).address);
        assertThat(Registry.add(reused)).isNull();
        assertThat(Registry.find(reused.address)).isSameAs(reused);
        // 1,000,000 more short-lived blocks at fresh addresses: sweeps, and nothing live is lost.
        // A stripe grows only when its live entries fill a quarter of it, so dead ones do not
        // make the tables grow: at most 8 slots per live entry, or a stripe's 64 at the least.
        int before = Registry.capacity();
        for (int i = 0; i < 1_000_000; i++) {
            BlockImpl b = fake(BASE + (1L << 31) + i * 16L);
            assertThat(Registry.add(b)).isNull();
            kill(b);
        }
        int live = Registry.all().size();
        assertThat(Registry.capacity()).isLessThanOrEqualTo(Math.max(before, 8 * live + 64 * 64));
        for (int i = 1; i < blocks.size(); i += 2) {
            assertThat(Registry.find(blocks.get(i).address)).isSameAs(blocks.get(i));
        }
        blocks.forEach(RegistryTest::kill);
        kill(reused);
        assertThat(Registry.all()).noneMatch(b -> b.tag == TAG);
    }

    @Test
    void aRevivedBlockIsRegisteredAgainWhetherOrNotASweepDroppedIt() {
        BlockImpl b = fake(BASE + (1L << 40));
        assertThat(Registry.add(b)).isNull();
        Thread before = b.begin("reallocate");
        assertThat(Registry.find(b.address)).as("pending: its outcome decides").isSameAs(b);
        b.undo(before);
        assertThat(Registry.add(b)).as("still in its slot").isNull();
        assertThat(Registry.find(b.address)).isSameAs(b);
        kill(b);
    }

    /** Key 0 marks an empty slot: a lookup of address 0 used to meet one and throw NullPointerException. */
    @Test
    void addressZeroIsNoBlock() {
        assertThat(Registry.find(0)).isNull();
        assertThat(Registry.holder(0)).isNull();
    }

    /**
     * After a peak of live blocks, all freed, the stripes shrink back: the first scan trims them,
     * and so do later inserts. The old code kept a peak's tables for good (about 93 MB after 10⁶).
     */
    @Test
    void stripesShrinkWhenTheirLiveEntriesFall() {
        Registry.all(); // trims what earlier tests left
        int before = Registry.capacity();
        List<BlockImpl> peak = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            BlockImpl b = fake(BASE + (1L << 41) + i * 16L);
            Registry.add(b);
            peak.add(b);
        }
        int atPeak = Registry.capacity();
        assertThat(atPeak).isGreaterThan(before + 200_000);
        peak.forEach(RegistryTest::kill);
        Registry.all();
        int live = Registry.all().size();
        assertThat(Registry.capacity()).as("after the peak died (peak %d, before %d)", atPeak, before)
                .isLessThanOrEqualTo(Math.max(before, 8 * live + 64 * 64));
    }

    /**
     * While a free runs, its memory may already be back with the allocator and handed out again:
     * an adoption of that address must not be refused (the plugin scenario's callers were, when a
     * pending block counted as a holder), while a raw free of it still waits for the outcome.
     */
    @Test
    void aBlockWhoseFreeIsRunningHoldsNothingForAnAdoption() {
        BlockImpl small = fake(BASE + (1L << 42));
        BlockImpl big = new BlockImpl(HEAP, BASE + (1L << 42) + 4096, BASE + (1L << 42) + 4096, 1024, TAG, 0, false);
        Registry.add(small);
        Registry.add(big);
        Extents.activate();
        Extents.add(big);
        assertThat(Registry.holder(small.address)).isSameAs(small);
        assertThat(Registry.holder(small.address + 8)).isSameAs(small);
        assertThat(Registry.holder(big.address + 1000)).isSameAs(big);
        small.begin("free");
        big.begin("free");
        assertThat(Registry.find(small.address)).as("a raw free waits for the outcome").isSameAs(small);
        assertThat(Registry.holder(small.address)).isNull();
        assertThat(Registry.holder(small.address + 8)).isNull();
        assertThat(Registry.holder(big.address + 1000)).isNull();
        small.end(BlockImpl.FREED);
        big.end(BlockImpl.FREED);
    }

    @Test
    void concurrentAddsAndDeathsLoseNothing() throws Exception {
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
                        // every fourth address is one used before, as allocators reuse addresses
                        long address = base + (r.nextInt(4) == 0 && i > 0 ? r.nextInt(i) : i) * 16L;
                        BlockImpl live = Registry.find(address);
                        BlockImpl b = fake(address);
                        assertThat(Registry.add(b)).isSameAs(live);
                        if (live != null) {
                            continue;
                        }
                        if (r.nextInt(4) == 0) {
                            kept.add(b);
                        } else {
                            kill(b);
                        }
                    }
                    return kept;
                }));
            }
            for (Future<List<BlockImpl>> f : fs) {
                for (BlockImpl b : f.get()) {
                    assertThat(Registry.find(b.address)).isSameAs(b);
                    kill(b);
                    assertThat(Registry.find(b.address)).isNull();
                }
            }
        } finally {
            ex.shutdownNow();
        }
    }
}
