package dev.custody.scoped;

import dev.custody.AllocationFailedException;
import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.SharedBlock;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlabTest {
    /** Allocations per thread: 2,000 in the fast tier, 250,000 (a million in all) in the soak tier. */
    private static final int ROUNDS = "soak".equals(System.getProperty("custody.tier", "fast")) ? 250_000 : 2_000;
    private static final Tag NODES = Tag.of("slab-test-nodes");
    private static final Tag SLABS = Tag.of("slabs");

    @Test
    void freedSlotsAreReusedLastInFirstOutAndNoNewSlabIsTaken() {
        Heap parent = Heaps.libc().child("slab-parent", Long.MAX_VALUE);
        Slab s = Heaps.slab("reuse", parent, 40, 4);
        List<Block> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(s.allocate(40, NODES));
        }
        assertThat(s.slabs()).isEqualTo(1);
        assertThat(four.get(1).address() - four.get(0).address()).isEqualTo(48); // 40 B rounded to 16
        long freed = four.get(2).address();
        four.get(2).free();
        Block reused = s.allocate(24, NODES);
        assertThat(reused.address()).isEqualTo(freed);
        assertThat(s.slabs()).isEqualTo(1);
        s.allocate(8, NODES).free();
        Block fifth = s.allocate(8, NODES);
        Block sixth = s.allocate(8, NODES);
        assertThat(s.slabs()).isEqualTo(2);
        assertThat(parent.stats().tag(SLABS).liveBytes()).isEqualTo(2 * (16 + 4 * 48)).isEqualTo(s.heldBytes());
        assertThat(s.stats().tag(NODES).liveBytes()).isEqualTo(3 * 40 + 24 + 8 + 8);
        for (Block b : List.of(four.get(0), four.get(1), four.get(3), reused, fifth, sixth)) {
            b.free();
        }
        s.close();
        assertThat(parent.stats().tag(SLABS).liveBytes()).isZero();
        parent.close();
    }

    @Test
    void requestsBeyondTheSlotFailCleanly() {
        Slab s = Heaps.slab("small", Heaps.libc(), 64, 8);
        assertThatThrownBy(() -> s.allocate(65, NODES)).isInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("64 B");
        assertThatThrownBy(() -> s.allocate(8, 64, NODES)).isInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("aligned to 16 B");
        assertThat(s.stats().total().liveBytes()).isZero();
        assertThat(s.slabs()).isZero();
        assertThatThrownBy(() -> Heaps.slab(Heaps.libc(), 0, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Heaps.slab(Heaps.libc(), 8, 0)).isInstanceOf(IllegalArgumentException.class);
        s.close();
    }

    @Test
    void referenceCountedSlotsGoBackToTheFreeListAtZero() {
        Slab s = Heaps.slab("counted", Heaps.libc(), 32, 4);
        SharedBlock b = s.allocateShared(32, NODES);
        long address = b.address();
        b.retain();
        assertThat(b.release()).isFalse();
        assertThat(b.release()).isTrue();
        assertThat(s.allocate(32, NODES).address()).isEqualTo(address);
        s.freeLeaked();
        s.close();
    }

    @Test
    void threadsShareASlabAndEverySlotIsHandedOutOnceAtATime() throws Exception {
        Slab s = Heaps.slab("shared", Heaps.libc(), 16, 64);
        int threads = 4;
        int rounds = ROUNDS;
        Set<Long> inUse = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long mark = t;
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        Block b = s.allocate(16, NODES);
                        if (!inUse.add(b.address())) {
                            throw new AssertionError("slot handed out twice: 0x" + Long.toHexString(b.address()));
                        }
                        b.segment().set(JAVA_LONG, 0, mark);
                        Thread.onSpinWait();
                        assertThat(b.segment().get(JAVA_LONG, 0)).isEqualTo(mark);
                        inUse.remove(b.address());
                        b.free();
                    }
                } catch (Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        start.countDown();
        for (Thread t : ts) {
            t.join();
        }
        assertThat(errors).isEmpty();
        assertThat(s.stats().total().allocations()).isEqualTo((long) threads * rounds);
        assertThat(s.stats().total().liveBytes()).isZero();
        assertThat(s.slabs()).isEqualTo(1); // at most 4 slots in use at once: the first slab is enough
        Set<Long> distinct = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            distinct.add(s.allocate(16, NODES).address());
        }
        assertThat(distinct).hasSize(64);
        assertThat(s.freeLeaked()).isEqualTo(64);
        s.close();
    }
}
