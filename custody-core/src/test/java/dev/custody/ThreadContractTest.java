package dev.custody;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThreadContractTest {
    private final Heap heap = Heaps.libc();
    private final Tag tag = Tag.of("threads");

    private static <T> T on(String threadName, java.util.concurrent.Callable<T> c) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, threadName);
        t.start();
        t.join();
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    @Test
    void anotherThreadCannotTouchOrFreeAnOwnedBlock() {
        Block b = heap.allocate(64, tag);
        b.segment().set(ValueLayout.JAVA_INT, 0, 5);
        String me = Thread.currentThread().getName();
        assertThatThrownBy(() -> on("intruder", b::segment))
                .isInstanceOf(BlockOwnershipException.class)
                .hasMessageContaining("from thread 'intruder'")
                .hasMessageContaining("belongs to thread '" + me + "'")
                .satisfies(e -> {
                    BlockOwnershipException o = (BlockOwnershipException) e;
                    assertThat(o.ownerThread()).isEqualTo(me);
                    assertThat(o.callerThread()).isEqualTo("intruder");
                });
        assertThatThrownBy(() -> on("intruder", () -> {
            b.free();
            return null;
        })).isInstanceOf(BlockOwnershipException.class);
        assertThat(b.isLive()).isTrue();
        assertThat(b.segment().get(ValueLayout.JAVA_INT, 0)).isEqualTo(5);
        b.free();
    }

    @Test
    void detachHandsABlockToAConsumerAndInvalidatesTheProducersSegment() throws Exception {
        Block b = heap.allocate(64, tag);
        MemorySegment mine = b.segment();
        mine.set(ValueLayout.JAVA_LONG, 0, 99L);
        b.detach();
        assertThatThrownBy(() -> mine.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
        long read = on("consumer", () -> {
            long v = b.segment().get(ValueLayout.JAVA_LONG, 0); // claims it
            b.segment().set(ValueLayout.JAVA_LONG, 0, v + 1);
            b.detach();
            return v;
        });
        assertThat(read).isEqualTo(99L);
        assertThat(b.segment().get(ValueLayout.JAVA_LONG, 0)).isEqualTo(100L); // reclaimed by this thread
        b.detach();
        on("any", () -> {
            b.free(); // any thread may free a detached block
            return null;
        });
        assertThat(b.isLive()).isFalse();
    }

    @Test
    void producerConsumerThroughAQueue() throws Exception {
        int n = Allocators.count(2_000, 200_000);
        Tag tag = Tag.of("threads-queue");
        BlockingQueue<Block> q = new ArrayBlockingQueue<>(64);
        ExecutorService ex = Executors.newFixedThreadPool(2);
        try {
            var producer = ex.submit(() -> {
                for (int i = 0; i < n; i++) {
                    Block b = heap.allocate(16, tag);
                    b.segment().set(ValueLayout.JAVA_INT, 0, i);
                    b.detach();
                    q.put(b);
                }
                return null;
            });
            var consumer = ex.submit(() -> {
                long sum = 0;
                for (int i = 0; i < n; i++) {
                    Block b = q.take();
                    sum += b.segment().get(ValueLayout.JAVA_INT, 0);
                    b.free();
                }
                return sum;
            });
            producer.get(60, TimeUnit.SECONDS);
            assertThat(consumer.get(60, TimeUnit.SECONDS)).isEqualTo((long) n * (n - 1) / 2);
        } finally {
            ex.shutdownNow();
        }
        assertThat(heap.stats().tag(tag).liveBlocks()).isZero();
    }

    @Test
    void viewsBorrowFromOtherThreadsAndBlockTheFree() throws Exception {
        Block b = heap.allocate(64, tag);
        b.segment().set(ValueLayout.JAVA_INT, 0, 7);
        BlockView[] kept = new BlockView[1];
        int seen = on("reader", () -> {
            BlockView v = b.open();
            kept[0] = v;
            return v.segment().get(ValueLayout.JAVA_INT, 0);
        });
        assertThat(seen).isEqualTo(7);
        assertThatThrownBy(b::free).isInstanceOf(BlockInUseException.class).hasMessageContaining("1 view is still open")
                .satisfies(e -> assertThat(((BlockInUseException) e).openViews()).isEqualTo(1));
        assertThatThrownBy(() -> kept[0].close()).isInstanceOf(WrongThreadException.class);
        assertThat(b.isLive()).isTrue();
        // the reader thread has ended; its view can never be closed, so the block stays pinned: that is
        // the contract (views are closed on their own thread, in try-with-resources)
        Block c = heap.allocate(8, tag);
        on("reader2", () -> {
            try (BlockView v = c.open()) {
                return v.segment().get(ValueLayout.JAVA_BYTE, 0);
            }
        });
        c.free();
        b.markNotALeak();
    }

    @Test
    void aBlockWhoseOwnerDiedCanBeClaimed() throws Exception {
        Block b = on("short-lived", () -> {
            Block x = heap.allocate(32, tag);
            x.segment().set(ValueLayout.JAVA_INT, 0, 3);
            return x;
        });
        assertThat(b.segment().get(ValueLayout.JAVA_INT, 0)).isEqualTo(3);
        b.free();
    }

    @Test
    void virtualThreadsOwnBlocksToo() throws Exception {
        try (ExecutorService v = Executors.newVirtualThreadPerTaskExecutor()) {
            var f = v.submit(() -> {
                Block b = heap.allocate(16, tag);
                b.segment().set(ValueLayout.JAVA_INT, 0, 1);
                b.detach();
                return b;
            });
            Block b = f.get();
            assertThat(v.submit(() -> {
                int x = b.segment().get(ValueLayout.JAVA_INT, 0);
                b.free();
                return x;
            }).get()).isEqualTo(1);
        }
    }
}
