package dev.custody.nativeheap.internal;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LibcAllocatorTest {
    /**
     * A free of 128 KiB or more (glibc's default mmap threshold: the free is an munmap) goes
     * through the non-critical handle; a small one keeps the critical fast path. The old code
     * freed every size through the critical handle, which held up safepoints.
     */
    @Test
    void largeFreesAreNotCriticalCalls() {
        assertThat(LibcAllocator.freeHandle(64)).isSameAs(LibcAllocator.freeHandle(Downcalls.LARGE - 1));
        assertThat(LibcAllocator.freeHandle(Downcalls.LARGE)).isNotSameAs(LibcAllocator.freeHandle(64));
        assertThat(LibcAllocator.freeHandle(512L << 20)).isSameAs(LibcAllocator.freeHandle(Downcalls.LARGE));
        Heap libc = Heaps.libc();
        Tag t = Tag.of("libc-large");
        Block big = libc.allocate(Downcalls.LARGE, t);
        Block grown = libc.reallocate(libc.reallocate(libc.allocate(64, t), Downcalls.LARGE * 4), 32);
        big.free();
        grown.free();
        assertThat(libc.stats().tag(t).liveBlocks()).isZero();
    }
}
