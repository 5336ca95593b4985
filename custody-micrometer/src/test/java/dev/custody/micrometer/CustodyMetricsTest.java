package dev.custody.micrometer;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The binder over real heaps of libc, read through Micrometer's own registry. */
class CustodyMetricsTest {
    private static final Tag PATHS = Tag.of("metrics-paths");
    private static final Tag STRINGS = Tag.of("metrics-strings");

    private static double gauge(SimpleMeterRegistry r, String name, String heap, Tag tag) {
        Gauge g = r.find(name).tags("heap", heap, "tag", tag.name()).gauge();
        assertThat(g).as("%s{heap=%s,tag=%s}", name, heap, tag).isNotNull();
        return g.value();
    }

    private static double counter(SimpleMeterRegistry r, String name, String heap, Tag tag) {
        FunctionCounter c = r.find(name).tags("heap", heap, "tag", tag.name()).functionCounter();
        assertThat(c).as("%s{heap=%s,tag=%s}", name, heap, tag).isNotNull();
        return c.count();
    }

    private static CustodyMetrics boundTo(SimpleMeterRegistry r) {
        CustodyMetrics m = new CustodyMetrics();
        m.bindTo(r);
        return m;
    }

    @Test
    void theGaugesAndCountersAreTheBooksOfEachHeapAndTag() {
        Heap h = Heaps.libc().child("metrics-books", Long.MAX_VALUE);
        Block a = h.allocate(1000, PATHS);
        Block b = h.allocate(24, PATHS);
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        try (CustodyMetrics ignored = boundTo(r)) {
            assertThat(gauge(r, "custody.native.memory.used", "metrics-books", PATHS)).isEqualTo(1024);
            assertThat(gauge(r, "custody.native.blocks.live", "metrics-books", PATHS)).isEqualTo(2);
            b.free();
            Block c = h.allocate(4000, PATHS);
            c.free();
            assertThat(gauge(r, "custody.native.memory.used", "metrics-books", PATHS)).isEqualTo(1000);
            assertThat(gauge(r, "custody.native.blocks.live", "metrics-books", PATHS)).isEqualTo(1);
            assertThat(gauge(r, "custody.native.memory.peak", "metrics-books", PATHS)).isEqualTo(5000);
            assertThat(counter(r, "custody.native.allocations", "metrics-books", PATHS)).isEqualTo(3);
            assertThat(counter(r, "custody.native.frees", "metrics-books", PATHS)).isEqualTo(2);
            assertThat(r.find("custody.native.memory.used").tags("heap", "metrics-books").gauge().getId().getBaseUnit())
                    .isEqualTo("bytes");
            a.free();
            h.close();
        }
    }

    @Test
    void heapsAndTagsMadeAfterBindToGetMetersAndAClosedHeapLosesThem() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        try (CustodyMetrics m = new CustodyMetrics(Duration.ofMillis(50), Tags.of("node", "test-node"))) {
            m.bindTo(r);
            Heap later = Heaps.libc().child("metrics-later", Long.MAX_VALUE);
            Block b = later.allocate(64, STRINGS); // a tag the heap never had: seen by the scheduled refresh
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    r.find("custody.native.memory.used").tags("heap", "metrics-later", "tag", STRINGS.name()).gauge() != null);
            assertThat(gauge(r, "custody.native.memory.used", "metrics-later", STRINGS)).isEqualTo(64);
            assertThat(r.find("custody.native.frees").tags("heap", "metrics-later", "node", "test-node")
                    .functionCounter()).isNotNull();
            b.free();
            later.close(); // at once, not at the next refresh
            assertThat(r.find("custody.native.memory.used").tags("heap", "metrics-later").meters()).isEmpty();
            assertThat(r.find("custody.native.allocations").tags("heap", "metrics-later").meters()).isEmpty();
        }
    }

    @Test
    void twoOpenHeapsOfOneNameNeverShareAMeter() {
        Heap one = Heaps.libc().child("metrics-twin", Long.MAX_VALUE);
        Heap two = Heaps.libc().child("metrics-twin", Long.MAX_VALUE);
        Block a = one.allocate(10, PATHS);
        Block b = two.allocate(20, PATHS);
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        try (CustodyMetrics ignored = boundTo(r)) {
            List<Double> used = List.of(gauge(r, "custody.native.memory.used", "metrics-twin", PATHS),
                    gauge(r, "custody.native.memory.used", "metrics-twin#2", PATHS));
            assertThat(used).containsExactlyInAnyOrder(10.0, 20.0);
            a.free();
            b.free();
            one.close();
            two.close();
        }
    }

    @Test
    void closeRemovesEveryMeterAndStopsListening() {
        SimpleMeterRegistry r = new SimpleMeterRegistry();
        Heap h = Heaps.libc().child("metrics-closed", Long.MAX_VALUE);
        h.allocate(8, PATHS).free();
        CustodyMetrics m = boundTo(r);
        assertThat(r.find("custody.native.memory.used").tags("heap", "metrics-closed").gauge()).isNotNull();
        m.close();
        assertThat(r.getMeters()).isEmpty();
        Heap after = Heaps.libc().child("metrics-after-close", Long.MAX_VALUE);
        after.allocate(8, PATHS).free();
        m.refresh();
        assertThat(r.getMeters()).isEmpty();
        assertThatThrownBy(() -> m.bindTo(r)).isInstanceOf(IllegalStateException.class);
        h.close();
        after.close();
    }
}
