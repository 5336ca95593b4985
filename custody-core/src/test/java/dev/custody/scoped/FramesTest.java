package dev.custody.scoped;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramesTest {
    /** 1,000 virtual threads in the fast tier, 100,000 in the soak tier. */
    private static final int VIRTUAL_THREADS = "soak".equals(System.getProperty("custody.tier", "fast")) ? 100_000 : 1_000;

    @AfterEach
    void noFrameOutlivesATest() {
        assertThat(Frames.depth()).isZero();
    }

    @Test
    void slicesOfAPoppedFrameThrowAndTheMemoryIsTheNextFramesInLifoOrder() {
        MemorySegment kept;
        long address;
        try (Frame f = Frames.push()) {
            kept = f.allocate(64);
            kept.set(JAVA_LONG, 0, 42L);
            address = kept.address();
            assertThat(address % 16).isZero();
            try (Frame inner = Frames.push()) {
                assertThat(inner.depth()).isEqualTo(2);
                MemorySegment s = inner.allocate(16, 8);
                assertThat(s.address()).isGreaterThanOrEqualTo(address + 64);
            }
            assertThat(kept.get(JAVA_LONG, 0)).isEqualTo(42L); // the outer frame's slice is untouched
        }
        MemorySegment stale = kept;
        assertThatThrownBy(() -> stale.get(JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        try (Frame f = Frames.push()) {
            assertThat(f.allocate(64).address()).isEqualTo(address); // LIFO: the same memory again
        }
    }

    @Test
    void poppingOutOfOrderThrowsAndChangesNothing() {
        Frame outer = Frames.push();
        Frame inner = Frames.push();
        MemorySegment s = inner.allocate(8);
        assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("frame #1 popped out of order: frame #2 is still open");
        assertThat(outer.isOpen()).isTrue();
        assertThat(Frames.depth()).isEqualTo(2);
        s.set(JAVA_INT, 0, 1); // nothing was popped
        assertThatThrownBy(() -> outer.allocate(8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only the innermost frame allocates");
        inner.close();
        outer.close();
        assertThatThrownBy(() -> outer.allocate(8)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already popped");
        outer.close(); // popping a popped frame is harmless
    }

    @Test
    void resetPopsEveryFrameOfTheThreadAndLaterClosesAreHarmless() {
        List<MemorySegment> slices = new ArrayList<>();
        Frame a = Frames.push();
        slices.add(a.allocate(32));
        Frame b = Frames.push();
        slices.add(b.allocate(32));
        Frame c = Frames.push();
        slices.add(c.allocate(32));
        assertThat(Frames.reset()).isEqualTo(3);
        assertThat(Frames.depth()).isZero();
        for (MemorySegment s : slices) {
            assertThatThrownBy(() -> s.get(JAVA_INT, 0)).isInstanceOf(IllegalStateException.class);
        }
        a.close(); // out of order, but already popped by the reset: nothing to do
        c.close();
        assertThat(Frames.reset()).isZero();
    }

    @Test
    void theStackGrowsOnDemandAndShrinksBackWhenTheFrameThatGrewItPops() {
        Frames.reset();
        try (Frame f = Frames.push()) {
            f.allocate(16);
        }
        long base = Frames.heldBytes();
        assertThat(base).isEqualTo(64 * 1024);
        try (Frame f = Frames.push()) {
            MemorySegment big = f.allocate(1 << 20, 64);
            assertThat(big.address() % 64).isZero();
            big.set(JAVA_INT, (1 << 20) - 4, 9);
            assertThat(Frames.heldBytes()).isGreaterThan(base + (1 << 20));
            try (Frame g = Frames.push()) {
                g.allocate(100).set(JAVA_INT, 96, 1);
            }
            assertThat(big.get(JAVA_INT, (1 << 20) - 4)).isEqualTo(9);
        }
        assertThat(Frames.heldBytes()).isEqualTo(base); // only the kept base chunk
        assertThat(Frames.peakBytes()).isGreaterThanOrEqualTo(1 << 20);
        Frames.release(); // removable: the thread-local entry and the base go
        assertThat(Frames.heldBytes()).isZero();
    }

    @Test
    void releaseWithOpenFramesIsRefused() {
        try (Frame f = Frames.push()) {
            assertThatThrownBy(Frames::release).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Frames.reset()");
            f.allocate(8);
        }
    }

    @Test
    void framesAndTheirSlicesBelongToTheirThread() throws Exception {
        try (Frame f = Frames.push()) {
            MemorySegment s = f.allocate(8);
            Throwable onOther = CompletableFuture.runAsync(() -> s.get(JAVA_INT, 0)).handle((v, e) -> e).get();
            assertThat(onOther).cause().isInstanceOf(WrongThreadException.class);
            Throwable pop = CompletableFuture.runAsync(f::close).handle((v, e) -> e).get();
            assertThat(pop).cause().isInstanceOf(WrongThreadException.class)
                    .hasMessageContaining("belongs to thread '" + Thread.currentThread().getName() + "'");
            assertThat(f.isOpen()).isTrue();
            assertThat(CompletableFuture.supplyAsync(Frames::depth).get()).isZero(); // another thread, another stack
        }
    }

    @Test
    void virtualThreadsEachHaveTheirOwnStackAndHoldNothingAfterTheOutermostPop() throws Exception {
        int threads = VIRTUAL_THREADS;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int mark = t;
                results.add(ex.submit(() -> {
                    long held;
                    try (Frame f = Frames.push()) {
                        MemorySegment a = f.allocate(1024, 4);
                        a.fill((byte) 0);
                        a.set(JAVA_INT, 0, mark);
                        Thread.yield(); // may move to another carrier: the slice stays valid
                        try (Frame g = Frames.push()) {
                            g.allocate(16 * 1024).set(JAVA_INT, 0, -mark); // grows past the virtual base
                            Thread.sleep(1);
                        }
                        if (a.get(JAVA_INT, 0) != mark) {
                            throw new AssertionError("virtual thread " + mark + " saw another's frame");
                        }
                        held = Frames.heldBytes();
                    }
                    return held * 1_000_000L + Frames.heldBytes() * 1000 + Frames.depth();
                }));
            }
            for (Future<Long> r : results) {
                long v = r.get();
                assertThat(v / 1_000_000L).as("held while open").isEqualTo(8 * 1024);
                assertThat(v % 1_000_000L).as("held and depth after the outermost pop").isZero();
            }
        }
    }
}
