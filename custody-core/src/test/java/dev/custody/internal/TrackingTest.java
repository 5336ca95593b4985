package dev.custody.internal;

import dev.custody.Block;
import dev.custody.DoubleFreeException;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Site;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each tracking level flipped at run time on one heap, and what it records. */
class TrackingTest {
    private static final Tag TAG = Tag.of("tracking-test");
    private static final long TEN_MIB = 10L << 20;

    /** Allocates and frees {@code bytes} in blocks of {@code size}; returns how many were tracked. */
    private static int tracked(Heap h, long bytes, long size) {
        int n = 0;
        for (long done = 0; done < bytes; done += size) {
            Block b = h.allocate(size, TAG);
            if (((BlockImpl) b).history != null) {
                n++;
            }
            b.free();
        }
        return n;
    }

    private static Heap fullyTracked(String name) {
        Heap h = Heaps.libc().child(name, Long.MAX_VALUE);
        h.setTracking(Tracking.FULL);
        return h;
    }

    @Test
    void eachLevelFlippedAtRunTimeRecordsWhatItSays() {
        Heap h = Heaps.libc().child("tracking-flips", Long.MAX_VALUE);
        assertThat(h.tracking()).isEqualTo(Tracking.OFF);
        assertThat(tracked(h, 64 * 1000, 64)).isZero();

        h.setTracking(Tracking.FULL);
        assertThat(h.tracking()).isEqualTo(Tracking.FULL);
        assertThat(tracked(h, 64 * 1000, 64)).isEqualTo(1000);

        h.setTracking(Tracking.SAMPLED, 1); // a mean of 1 B between samples: every block
        assertThat(h.tracking()).isEqualTo(Tracking.SAMPLED);
        assertThat(tracked(h, 64 * 1000, 64)).isEqualTo(1000);

        h.setTracking(Tracking.OFF);
        assertThat(tracked(h, 64 * 1000, 64)).isZero();
        h.close();
    }

    @Test
    void aFullyTrackedBlockKnowsItsAllocationAndFreeSitesInTheCallersFrames() {
        Heap h = fullyTracked("tracking-sites");
        Block b = h.allocate(64, TAG);
        b.detach();
        b.free();
        assertThatThrownBy(b::free).isInstanceOfSatisfying(DoubleFreeException.class, e -> {
            List<String> events = e.sites().stream().map(Site::event).toList();
            assertThat(events).containsExactly("allocate", "detach", "claim", "free");
            for (Site s : e.sites()) { // custody's own frames are left out: the first is this test's
                assertThat(s.frames().getFirst().getMethodName())
                        .isEqualTo("aFullyTrackedBlockKnowsItsAllocationAndFreeSitesInTheCallersFrames");
                assertThat(s.frames()).hasSizeLessThanOrEqualTo(Sites.MAX_FRAMES);
                assertThat(s.thread()).isEqualTo(Thread.currentThread().getName());
            }
            assertThat(e.getMessage()).contains("allocated: allocate on thread").contains("TrackingTest");
        });
        h.close();
    }

    @Test
    void theHistoryIsTheFirstEventAndTheLastFew() {
        Heap h = fullyTracked("tracking-bounded");
        Block b = h.allocate(64, TAG);
        for (int i = 0; i < 1000; i++) {
            b.detach(); // a detach and a claim each time
            b.segment();
        }
        History history = ((BlockImpl) b).history;
        assertThat(history.sites()).hasSize(1 + History.KEEP);
        assertThat(history.sites().getFirst().event()).isEqualTo("allocate");
        assertThat(history.sites().getLast().event()).isEqualTo("claim");
        b.free();
        h.close();
    }

    /**
     * 10 MiB in 64 B blocks at the default mean of 512 KiB: 20 samples expected. The count of a
     * sampler with exponential gaps is Poisson(20), which falls outside [3, 46] with a probability
     * below 10^-6; the same bytes in 4 KiB blocks are sampled at the same rate.
     */
    @Test
    void sampledAtTheDefaultRateSamplesTwentyTimesInTenMiBWhateverTheBlockSize() {
        Heap h = Heaps.libc().child("tracking-sampled", Long.MAX_VALUE);
        h.setTracking(Tracking.SAMPLED);
        assertThat(AbstractHeap.of(h).sampleBytes()).isEqualTo(512 * 1024).isEqualTo(Tracking.DEFAULT_SAMPLE_BYTES);
        assertThat(tracked(h, TEN_MIB, 64)).isBetween(3, 46);
        assertThat(tracked(h, TEN_MIB, 4096)).isBetween(3, 46);

        // The mean over 40 such runs: 20 with a standard deviation of 0.71; outside 20 ± 4 (5.6
        // standard deviations) with a probability below 10^-7, for each block size.
        for (long size : new long[] {64, 4096}) {
            long total = 0;
            for (int run = 0; run < 40; run++) {
                total += tracked(h, TEN_MIB, size);
            }
            assertThat(total / 40.0).as("mean samples per 10 MiB in %d B blocks", size).isBetween(16.0, 24.0);
        }
        h.close();
    }

    @Test
    void setTrackingRefusesANonPositiveMeanAndANullLevel() {
        Heap h = Heaps.libc().child("tracking-refusals", Long.MAX_VALUE);
        assertThatThrownBy(() -> h.setTracking(Tracking.SAMPLED, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mean bytes between samples");
        assertThatThrownBy(() -> h.setTracking(null)).isInstanceOf(NullPointerException.class);
        assertThat(h.tracking()).isEqualTo(Tracking.OFF);
        h.close();
    }

    @Test
    void regionsSlabsChildrenAndDebugHeapsInheritTheirParentsTracking() {
        Heap parent = Heaps.libc().child("tracking-parent", Long.MAX_VALUE);
        parent.setTracking(Tracking.FULL);
        Region region = Heaps.region(parent, 4096);
        Slab slab = Heaps.slab(parent, 64, 16);
        Heap child = parent.child("tracking-child", Long.MAX_VALUE);
        Heap debug = dev.custody.debug.DebugHeaps.poisoning(parent);
        List<Heap> kids = new ArrayList<>(List.of(region, slab, child, debug));
        for (Heap k : kids) {
            assertThat(k.tracking()).as(k.name()).isEqualTo(Tracking.FULL);
            Block b = k.allocate(32, TAG);
            assertThat(((BlockImpl) b).history).as(k.name()).isNotNull();
            b.free();
        }
        parent.setTracking(Tracking.SAMPLED, 4096);
        Slab sampledSlab = Heaps.slab(parent, 64, 16);
        assertThat(sampledSlab.tracking()).isEqualTo(Tracking.SAMPLED);
        assertThat(AbstractHeap.of(sampledSlab).sampleBytes()).isEqualTo(4096);
        for (Heap k : kids) {
            k.close();
        }
        sampledSlab.close();
        parent.close();
    }
}
