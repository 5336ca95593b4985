package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import dev.custody.observe.ProcessMemory;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Load, call and close, again and again: nothing grows. Witnesses outside custody's books: the
 * plugin's own counts, glibc's mallinfo2 (exact under MALLOC_ARENA_MAX=1, which surefire sets) and
 * RSS.
 */
class LoadCycleTest {
    private static final int CYCLES = Tier.count(30, 100);
    private static final int CALLS_PER_CYCLE = 200;
    /**
     * Tolerances, stated. mallinfo2 counts the whole JVM's malloc, and the JIT compilers keep
     * mallocing while these short cycles run (growth of 0.1 to 0.9 MiB was seen without any leak),
     * so the median of the last third of the cycles may exceed that of the first third by 4 MiB.
     * Leaking the 4 KiB response of one call in four would grow it by over 8 MiB in the fast tier
     * (about 20 cycles apart). Single leaked buffers are what the plugin's own count catches,
     * exactly. RSS also sees code being compiled and metaspace, so its bound is 16 MiB; the
     * module's surefire pre-touches a fixed Java heap, so the heap's own growth is not counted.
     */
    private static final long MALLINFO_TOLERANCE = 4L << 20;
    private static final long RSS_TOLERANCE = 16L << 20;

    @Test
    void loadCallCloseCyclesDoNotGrow() {
        assumeTrue(ProcessMemory.singleArena(), "mallinfo2 is exact only under MALLOC_ARENA_MAX=1");
        long objectsBefore = ReferencePlugin.liveObjects();
        long liveBefore = ReferencePlugin.liveBuffers();
        long[] mallinfo = new long[CYCLES];
        long[] rss = new long[CYCLES];
        String big = "4000";
        for (int c = 0; c < CYCLES; c++) {
            try (NativePlugin p = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.WARN), null)) {
                for (int i = 0; i < CALLS_PER_CYCLE; i++) {
                    assertThat(p.call("big", big)).hasSize(4002);
                }
                assertThat(p.outstandingBuffers()).isZero();
            }
            assertThat(ReferencePlugin.liveObjects()).isEqualTo(objectsBefore);
            assertThat(ReferencePlugin.liveBuffers()).isEqualTo(liveBefore);
            mallinfo[c] = ProcessMemory.mallinfoInUse();
            rss[c] = ProcessMemory.rss();
        }
        int third = CYCLES / 3;
        long mallinfoGrowth = median(mallinfo, CYCLES - third, CYCLES) - median(mallinfo, 1, 1 + third);
        long rssGrowth = median(rss, CYCLES - third, CYCLES) - median(rss, 1, 1 + third);
        System.out.printf("LoadCycleTest: %d cycles, mallinfo2 growth %d B (tolerance %d), RSS growth %d B (tolerance %d)%n",
                CYCLES, mallinfoGrowth, MALLINFO_TOLERANCE, rssGrowth, RSS_TOLERANCE);
        assertThat(mallinfoGrowth).isLessThanOrEqualTo(MALLINFO_TOLERANCE);
        assertThat(rssGrowth).isLessThanOrEqualTo(RSS_TOLERANCE);
    }

    private static long median(long[] v, int from, int to) {
        long[] s = Arrays.copyOfRange(v, from, to);
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
