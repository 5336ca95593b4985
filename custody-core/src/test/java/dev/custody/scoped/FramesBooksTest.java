package dev.custody.scoped;

import dev.custody.Custody;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.WrongHeapException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Frames are heaps in the model: their chunks are blocks of libc tagged {@code frames}, held by
 * the thread's frame stack, in every snapshot, never libc's leaks and never freeable through libc.
 * Each figure is read as a delta across one step of this thread, so other threads' stacks (kept
 * base chunks of pool threads) do not move it.
 */
class FramesBooksTest {
    private static final Tag FRAMES = Tag.of("frames");
    private static final long BASE = 64 * 1024;

    @AfterEach
    void noFrameOutlivesATest() {
        assertThat(Frames.depth()).isZero();
        Frames.release();
    }

    private static Figures frames() {
        return Heaps.libc().stats().tag(FRAMES);
    }

    @Test
    void everyChunkIsALibcBlockTaggedFramesHeldByTheStackAndSeenBySnapshots() {
        Frames.release();
        Figures before = frames();
        Heap libc = Heaps.libc();
        try (Frame f = Frames.push()) {
            MemorySegment s = f.allocate(64);
            s.set(JAVA_LONG, 0, 1L);
            assertThat(frames().liveBytes() - before.liveBytes()).isEqualTo(BASE);
            assertThat(frames().liveBlocks() - before.liveBlocks()).isEqualTo(1);
            assertThat(Custody.snapshot().heap(libc.name()).tag(FRAMES).liveBytes() - before.liveBytes())
                    .isEqualTo(BASE);
            try (Frame g = Frames.push()) {
                MemorySegment big = g.allocate(1 << 20); // oversize: a chunk of its own, a block of libc too
                big.set(JAVA_LONG, (1 << 20) - 8, 2L);
                long grown = frames().liveBytes() - before.liveBytes() - BASE;
                assertThat(grown).isGreaterThanOrEqualTo(1 << 20).isEqualTo(Frames.heldBytes() - BASE);
                assertThat(frames().liveBlocks() - before.liveBlocks()).isEqualTo(2);
                assertThat(libc.liveBlocks()).as("held by the frames, not libc's leaks")
                        .noneMatch(b -> b.tag() == FRAMES);
                // neither a chunk's start nor an address inside it can be freed through libc
                long inside = big.address() + 64;
                assertThatThrownBy(() -> libc.free(MemorySegment.ofAddress(inside)))
                        .isInstanceOf(WrongHeapException.class).hasMessageContaining("frames of thread '"
                                + Thread.currentThread().getName() + "'");
                assertThatThrownBy(() -> libc.free(MemorySegment.ofAddress(s.address())))
                        .isInstanceOf(WrongHeapException.class).hasMessageContaining("frames of thread");
                assertThat(big.get(JAVA_LONG, (1 << 20) - 8)).isEqualTo(2L);
            }
            assertThat(frames().liveBytes() - before.liveBytes()).as("the grown chunk left at the pop").isEqualTo(BASE);
            assertThat(s.get(JAVA_LONG, 0)).isEqualTo(1L);
        }
        assertThat(frames().liveBytes() - before.liveBytes()).as("a platform thread keeps its base").isEqualTo(BASE);
        Frames.release();
        assertThat(frames().liveBytes()).isEqualTo(before.liveBytes());
        assertThat(frames().frees() - before.frees()).isEqualTo(2);
    }

    @Test
    void aVirtualThreadsChunksLeaveTheBooksAtItsOutermostPop() throws Exception {
        Figures before = frames();
        long[] during = new long[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try (Frame f = Frames.push()) {
                f.allocate(128).set(JAVA_LONG, 0, 3L);
                during[0] = frames().liveBytes() - before.liveBytes();
            }
        });
        t.join();
        assertThat(during[0]).isEqualTo(8 * 1024);
        assertThat(frames().liveBytes()).isEqualTo(before.liveBytes());
    }

    /** The GC is the witness's clock here: the base leaves once the ended thread's stack is unreachable. */
    @Test
    void aPlatformThreadsBaseLeavesTheBooksWhenTheThreadHasEndedAndTheGcFreesIt() throws Exception {
        Figures before = frames();
        Thread t = Thread.ofPlatform().start(() -> {
            try (Frame f = Frames.push()) {
                f.allocate(64).set(JAVA_LONG, 0, 4L);
            }
        });
        t.join();
        assertThat(frames().liveBytes() - before.liveBytes()).as("kept after the thread's last pop").isEqualTo(BASE);
        t = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (frames().liveBytes() != before.liveBytes() && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(frames().liveBytes()).isEqualTo(before.liveBytes());
        assertThat(frames().frees() - before.frees()).isEqualTo(1);
    }
}
