package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryPoolMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The old-generation usage threshold, the opt-in GC request, and its absence by default. */
class GcSignalsTest {
    /**
     * With the threshold set far below the old generation's usage, the first collection that
     * leaves objects there crosses it: the client hears the notification and flushes. On close the
     * client clears the thresholds it set.
     */
    @Test
    void theOldGenerationThresholdNotifiesAndIsClearedOnClose() {
        var options = ClientOptions.defaults().withOldGenThreshold(0.0001);
        try (ObjectServer server = Fixtures.server().start()) {
            List<MemoryPoolMXBean> pools;
            RemoteClient client = Fixtures.client(server, options);
            try {
                GcSignals signals = ((RemoteClientImpl) client).signals;
                pools = signals.thresholdsSet();
                assertThat(pools).as("an old-generation pool supports usage thresholds").isNotEmpty();
                for (MemoryPoolMXBean pool : pools) {
                    assertThat(pool.getUsageThreshold()).isEqualTo((long) (pool.getUsage().getMax() * 0.0001));
                }
                List<byte[]> survivors = new ArrayList<>();
                boolean heard = Fixtures.within(Duration.ofSeconds(30), () -> {
                    survivors.add(new byte[64 * 1024]);
                    System.gc(); // the test moves its survivors to the old generation
                    return signals.thresholdCrossings.get() > 0;
                });
                assertThat(heard).isTrue();
            } finally {
                client.close();
            }
            assertThat(pools).allSatisfy(p -> assertThat(p.getUsageThreshold()).isZero());
        }
    }

    @Test
    void noGcIsRequestedByDefault() {
        try (ObjectServer server = Fixtures.server().start(); RemoteClient client = Fixtures.client(server)) {
            RemoteRef catalog = client.lookup("catalog");
            for (int i = 0; i < 100; i++) {
                catalog.invoke("make", "x");
            }
            Fixtures.sleep(500);
            assertThat(client.metrics().gcRequests()).isZero();
        }
    }

    /**
     * Proxies promoted to the old generation and then dropped, with no allocation afterwards: no
     * GC would ever find them. The opt-in request (every 300 ms at most) releases them.
     */
    @Test
    void theOptInGcRequestReleasesOldGenerationProxies() {
        var options = ClientOptions.defaults().withGcRequestInterval(Duration.ofMillis(300));
        try (ObjectServer server = Fixtures.server().start(); RemoteClient client = Fixtures.client(server, options)) {
            RemoteRef catalog = client.lookup("catalog");
            List<Object> proxies = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                proxies.add(catalog.invoke("make", "old" + i));
            }
            System.gc(); // the test promotes its proxies; the client itself never calls this by default
            System.gc();
            proxies.clear();
            boolean released = Fixtures.within(Duration.ofSeconds(30), () -> server.pinCount() == 1);
            assertThat(released).isTrue();
            assertThat(client.metrics().gcRequests()).isGreaterThanOrEqualTo(1);
            java.lang.ref.Reference.reachabilityFence(catalog); // the pin left is the catalog's
        }
    }
}
