package dev.custody.nativeheap;

import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NativeHeapBuilderTest {
    private static final Tag PATHS = Tag.of("builder-paths");

    private static NativeHeapBuilder hinted() {
        // malloc ignores the extra int argument: the LP64 ABI passes it in a register malloc never reads
        return Heaps.library("hinted", "libc.so.6").allocate("malloc").free("free");
    }

    /** The old code interned every hinted build under a new Object(): one more heap kept for good per build. */
    @Test
    void theSameHintTableBuildsTheSameHeap() {
        Heap a = hinted().hint(Map.of(PATHS, 29), 0).build();
        Heap b = hinted().hint(Map.of(PATHS, 29), 0).build();
        Heap other = hinted().hint(Map.of(PATHS, 30), 0).build();
        assertThat(b).isSameAs(a);
        assertThat(other).isNotSameAs(a).isEqualTo(a); // another configuration, the same owner
        a.allocate(16, PATHS).free();
    }

    /** A hint function cannot be compared: its heap is its own, and custody does not keep it alive. */
    @Test
    void aHeapWithAHintFunctionIsNotKeptForGood() throws InterruptedException {
        assumeTrue(ManagementFactory.getPlatformMBeanServer().queryNames(null, null).stream()
                .noneMatch(n -> n.getDomain().equals("dev.custody")), "JMX exposure keeps every heap's MXBean");
        Heap kept = hinted().hint(t -> 1).build();
        WeakReference<Heap> dropped = new WeakReference<>(hinted().hint(t -> 2).build());
        assertThat(dropped.get()).isNotSameAs(kept);
        for (int i = 0; i < 50 && dropped.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(dropped.get()).as("collected once dropped").isNull();
        kept.allocate(16, PATHS).free();
    }
}
