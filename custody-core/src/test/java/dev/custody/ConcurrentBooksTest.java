package dev.custody;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Law 5 under concurrency: every counter exact with several threads allocating and freeing. */
class ConcurrentBooksTest {

    @Test
    void booksAreExactUnderConcurrentAllocateAndFree() throws Exception {
        int threads = 4;
        int perThread = Allocators.count(50_000, 1_000_000);
        Heap heap = Heaps.libc().child("concurrent", Long.MAX_VALUE);
        Tag[] tags = {Tag.of("conc-a"), Tag.of("conc-b")};
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        long[] keptBytes = new long[threads];
        List<List<Block>> kept = new ArrayList<>();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                List<Block> mine = new ArrayList<>();
                kept.add(mine);
                fs.add(ex.submit(() -> {
                    SplittableRandom r = new SplittableRandom(id);
                    start.await();
                    List<Block> window = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Block b = heap.allocate(1 + r.nextInt(512), tags[r.nextInt(2)]);
                        b.segment().set(ValueLayout.JAVA_BYTE, 0, (byte) i);
                        window.add(b);
                        if (window.size() > 32) {
                            window.remove(r.nextInt(window.size())).free();
                        }
                    }
                    // keep a known remainder live, detached, to check the live figures exactly
                    for (Block b : window) {
                        b.detach();
                        keptBytes[id] += b.byteSize();
                    }
                    mine.addAll(window);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdownNow();
        }
        long liveBytes = 0;
        long liveBlocks = 0;
        for (int t = 0; t < threads; t++) {
            liveBytes += keptBytes[t];
            liveBlocks += kept.get(t).size();
        }
        HeapStats s = heap.stats();
        Figures a = s.tag(tags[0]);
        Figures b = s.tag(tags[1]);
        assertThat(s.total().allocations()).isEqualTo((long) threads * perThread);
        assertThat(s.total().liveBlocks()).isEqualTo(liveBlocks);
        assertThat(s.total().liveBytes()).isEqualTo(liveBytes);
        assertThat(a.allocations() + b.allocations()).isEqualTo(s.total().allocations());
        assertThat(a.frees() + b.frees()).isEqualTo(s.total().frees());
        assertThat(a.liveBytes() + b.liveBytes()).isEqualTo(s.total().liveBytes());
        assertThat(s.total().peakBytes()).isGreaterThanOrEqualTo(liveBytes)
                .isLessThanOrEqualTo((long) threads * 33 * 512);
        kept.forEach(l -> l.forEach(Block::free)); // detached: any thread may free them
        assertThat(heap.stats().total().liveBytes()).isZero();
        heap.close();
    }

    @Test
    void closeRacingAllocateNeverLosesABlock() throws Exception {
        for (int round = 0; round < Allocators.count(50, 2_000); round++) {
            Heap heap = Heaps.libc().child("close-race", Long.MAX_VALUE);
            Tag tag = Tag.of("close-race");
            ExecutorService ex = Executors.newSingleThreadExecutor();
            Future<Block> f = ex.submit(() -> {
                try {
                    Block b = heap.allocate(16, tag);
                    b.detach();
                    return b;
                } catch (IllegalStateException closed) {
                    return null;
                }
            });
            boolean closed;
            try {
                heap.close();
                closed = true;
            } catch (LeakException leak) {
                closed = false; // the allocation won: the close saw its block and refused
            }
            Block b = f.get();
            ex.shutdown();
            assertThat(closed).as("exactly one of close and allocate wins").isEqualTo(b == null);
            if (b != null) {
                b.free();
                heap.close();
            }
            assertThat(heap.stats().total().liveBlocks()).isZero();
        }
    }
}
