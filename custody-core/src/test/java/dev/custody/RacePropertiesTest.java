package dev.custody;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Law 10 on several threads, against glibc. The books count every free and hand-off exactly once;
 * glibc is the independent witness: a second free of a small chunk aborts the process ("double
 * free detected in tcache"), so a run that ends at all saw no native double free.
 */
class RacePropertiesTest {
    private final ExecutorService ex = Executors.newFixedThreadPool(2);

    @AfterProperty
    void stop() {
        ex.shutdownNow();
    }

    /**
     * Law 10 on several threads: two threads race to free, or to free and hand off, the same
     * detached blocks. Exactly one wins each block; the other gets its specific exception; the
     * allocator sees exactly one free.
     */
    @Property(tries = 20)
    void racesHaveOneWinner(@ForAll("raceSizes") int blocks, @ForAll boolean handOffRace) throws Exception {
        Heap heap = Heaps.libc().child("race", Long.MAX_VALUE);
        Tag tag = Tag.of("race");
        List<Block> list = new ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            Block b = heap.allocate(32, tag);
            b.detach();
            list.add(b);
        }
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger handedOff = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Long> toFreeNatively = Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                boolean handOffer = handOffRace && w == 1;
                fs.add(ex.submit(() -> {
                    start.await();
                    for (Block b : list) {
                        try {
                            if (handOffer) {
                                toFreeNatively.add(b.handOff(heap));
                                handedOff.incrementAndGet();
                            } else {
                                b.free();
                            }
                            wins.incrementAndGet();
                        } catch (DoubleFreeException | UseAfterFreeException | BlockOwnershipException lost) {
                            // the other thread won this block
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            start.reset();
        }
        for (long a : toFreeNatively) {
            try {
                Natives.LIBC_FREE.invokeExact(a);
            } catch (Throwable t) {
                throw new AssertionError(t);
            }
        }
        Figures f = heap.stats().tag(tag);
        assertThat(wins.get()).isEqualTo(blocks);
        assertThat(f.frees() + f.handedOffBlocks()).isEqualTo(blocks);
        assertThat(f.handedOffBlocks()).isEqualTo(handedOff.get());
        assertThat(f.liveBlocks()).isZero();
        heap.close();
    }

    @Provide
    Arbitrary<Integer> raceSizes() {
        return Arbitraries.integers().between(1, Allocators.count(500, 20_000));
    }
}
