package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random operations (get, invoke, drop, close, hold scopes) on one session: no handle is released
 * while a live proxy can still use it, and every pin is released at the end. 20,000 operations in
 * the fast tier, 1,000,000 in the soak tier.
 *
 * <p>The run is long enough for proxies to reach the old generation, where young collections never
 * find them once dropped; the client therefore opts in to the rate-limited GC request (at most one
 * per second, only while proxies are live and no major GC has happened for a second). Without it,
 * those pins would wait for the next major GC, or for the session's end.
 */
class StressTest {
    private static final int OPS = Fixtures.SOAK ? 1_000_000 : 20_000;

    @Test
    void randomOperationsNeverReleaseALiveProxysPin() {
        Random random = new Random(20261121);
        try (ObjectServer server = Fixtures.server().start();
                RemoteClient client = Fixtures.client(server,
                        ClientOptions.defaults().withGcRequestInterval(Duration.ofSeconds(1)))) {
            long session = client.sessionId();
            List<RemoteRef> live = new ArrayList<>();
            Deque<ReleaseHold> holds = new ArrayDeque<>();
            RemoteRef catalog = client.lookup("catalog");
            long dropped = 0;
            long closed = 0;
            for (int op = 0; op < OPS; op++) {
                int dice = random.nextInt(100);
                if (dice < 30 || live.isEmpty()) {
                    // a small range of items, so that handles are shared by several proxies
                    live.add((RemoteRef) catalog.invoke("item", random.nextInt(64)));
                } else if (dice < 40) {
                    live.add((RemoteRef) catalog.invoke("make", "s" + op));
                } else if (dice < 60) {
                    RemoteRef r = live.get(random.nextInt(live.size()));
                    assertThat(r.get("label")).as("a live proxy's pin is still there").isNotNull();
                } else if (dice < 70) {
                    live.add((RemoteRef) live.get(random.nextInt(live.size())).invoke("next"));
                } else if (dice < 82) {
                    live.remove(random.nextInt(live.size()));
                    dropped++;
                } else if (dice < 92) {
                    live.remove(random.nextInt(live.size())).close();
                    closed++;
                } else if (dice < 96 && holds.size() < 3) {
                    holds.push(client.holdReleases());
                } else if (!holds.isEmpty()) {
                    holds.pop().close();
                }
                if (live.size() > 400) {
                    live.subList(0, 200).clear();
                    dropped += 200;
                }
                if (op % 5_000 == 4_999) {
                    for (RemoteRef r : live) {
                        assertThat(r.get("label")).isNotNull();
                    }
                    assertThat(server.pinCount(session)).as("at least one pin per live proxy and the catalog")
                            .isGreaterThanOrEqualTo(live.size() + 1);
                }
            }
            while (!holds.isEmpty()) {
                holds.pop().close();
            }
            live.clear();
            catalog = null;
            // Both sides: the server's table is empty, and the client has seen every acknowledgement.
            boolean allReleased = Fixtures.underAllocation(() -> server.pinCount(session) == 0
                    && client.metrics().releasesSent() == client.metrics().releasesQueued(), Duration.ofSeconds(60));
            ClientMetrics m = client.metrics();
            System.out.printf("[stress] %,d ops, %,d dropped, %,d closed: %,d releases in %,d messages; pins left %d; %s%n",
                    OPS, dropped, closed, m.releasesSent(), m.releaseMessages(), server.pinCount(session), m);
            assertThat(allReleased).isTrue();
            assertThat(m.liveProxies()).isZero();
            assertThat(m.releasesDiscarded()).isZero();
            assertThat(m.releasesSent()).isEqualTo(m.releasesQueued());
        }
    }
}
