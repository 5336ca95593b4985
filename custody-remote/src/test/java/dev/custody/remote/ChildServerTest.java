package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against a server in a child JVM: batched release of dropped proxies, a result of 20,000 handles,
 * and a server restarted under a live client, which reconnect() waits for, up to its deadline,
 * instead of failing while the connection backs off. The server's pin table is read through the
 * Stats call, and the release messages are counted by the server.
 */
class ChildServerTest {
    private static final Duration KEEPALIVE = Duration.ofSeconds(10);
    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a connection on loopback; too short to wait out a backoff of 1 s or more. */
    private static final Duration RECONNECT_DEADLINE = Duration.ofSeconds(1);

    private Path tokenFile;
    private ServerProcess server;
    private RemoteClient client;

    @BeforeEach
    void start() {
        tokenFile = ServerProcess.tempTokenFile();
        server = ServerProcess.start(0, tokenFile, KEEPALIVE, KEEPALIVE_TIMEOUT);
        client = RemoteClient.connect("127.0.0.1", server.port(), server.token());
    }

    @AfterEach
    void stop() {
        try {
            client.close();
        } finally {
            server.close();
        }
    }

    @Test
    void tenThousandDroppedProxiesAreReleasedInAtMostTenMessages() {
        // The 10,000 round trips that make the proxies take seconds; on a loaded machine a few
        // young collections may promote some of them. The opt-in GC request (every 5 s at most)
        // is the design's bound for those; young ones are released long before it fires.
        client.close();
        client = RemoteClient.connect("127.0.0.1", server.port(), server.token(),
                ClientOptions.defaults().withGcRequestInterval(Duration.ofSeconds(5)));
        RemoteRef catalog = client.lookup("catalog");
        List<RemoteRef> proxies = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            proxies.add((RemoteRef) catalog.invoke("item", i));
        }
        assertThat(client.serverStats().sessionPins()).isEqualTo(10_001);
        long before = client.serverStats().releaseMessages();
        proxies.clear();
        // Normal allocation only: no System.gc() from the test, no close().
        boolean released = Fixtures.underAllocation(() -> client.metrics().releasesSent() == 10_000,
                Duration.ofSeconds(60));
        ServerStats after = client.serverStats();
        System.out.printf("[release] 10,000 dropped proxies: %d release messages; p50 %d us, p99 %d us queued-to-acked%n",
                after.releaseMessages() - before, client.metrics().latencyP50Nanos() / 1000,
                client.metrics().latencyP99Nanos() / 1000);
        assertThat(released).isTrue();
        assertThat(after.sessionPins()).as("only the catalog proxy is left").isEqualTo(1);
        assertThat(after.releaseMessages() - before).isBetween(1L, 10L);
        assertThat(catalog.get("name")).isEqualTo("demo");
    }

    @Test
    void aResultOfTwentyThousandHandlesIsPinnedAndReleasedWhole() {
        // A result this large lives across several calls, long enough for a young collection to
        // promote some of its proxies; dropped old-generation proxies are found by a major
        // collection, which the opt-in GC request bounds (off by default, on here).
        client.close();
        client = RemoteClient.connect("127.0.0.1", server.port(), server.token(),
                ClientOptions.defaults().withGcRequestInterval(Duration.ofSeconds(1)));
        RemoteRef catalog = client.lookup("catalog");
        List<?> batch = (List<?>) catalog.invoke("batch", 20_000);
        assertThat(batch).hasSize(20_000).allMatch(o -> o instanceof RemoteRef);
        assertThat(client.serverStats().sessionPins()).isEqualTo(20_001);
        assertThat(((RemoteRef) batch.get(19_999)).get("label")).isEqualTo("batch#19999");
        batch = null;
        assertThat(Fixtures.underAllocation(() -> client.metrics().releasesSent() == 20_000, Duration.ofSeconds(60)))
                .isTrue();
        assertThat(client.serverStats().sessionPins()).isEqualTo(1);
        assertThat(client.serverStats().totalPins()).isEqualTo(1);
        java.lang.ref.Reference.reachabilityFence(catalog); // its pin is the one left
    }

    @Test
    void aRestartedServerGivesAClearErrorAndAFreshSession() {
        RemoteRef catalog = client.lookup("catalog");
        RemoteRef item = (RemoteRef) catalog.invoke("item", 3);
        int port = server.port();
        server.close();
        server = ServerProcess.start(port, tokenFile, KEEPALIVE, KEEPALIVE_TIMEOUT);
        assertThatThrownBy(() -> item.get("label")).isInstanceOf(SessionLostException.class)
                .hasMessageContaining("reconnect");
        client.reconnect();
        assertThatThrownBy(() -> item.get("label")).as("an old proxy stays dead after reconnecting")
                .isInstanceOf(SessionLostException.class);
        RemoteRef fresh = client.lookup("catalog");
        assertThat(fresh.handle().epoch()).isNotEqualTo(item.handle().epoch());
        assertThat(fresh.get("name")).isEqualTo("demo");
        ServerStats stats = client.serverStats();
        assertThat(stats.totalPins()).as("nothing of the old session reached the new server").isEqualTo(1);
        assertThat(stats.sessions()).isEqualTo(1);
    }

    /**
     * Reconnects while the server is down, as a client retrying in a loop does: each attempt fails,
     * and the connection backs off (1 s, then 1.6 s, ...) before it tries again by itself.
     */
    private void failWhileDown() {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(client::reconnect).isInstanceOfSatisfying(RemoteException.class,
                    e -> assertThat(e.code()).isEqualTo("UNAVAILABLE"));
            Fixtures.sleep(100);
        }
    }

    /** Reconnects with {@code deadline}, in place of the client of the default options. */
    private void reconnectingWithin(Duration deadline) {
        client.close();
        client = RemoteClient.connect("127.0.0.1", server.port(), server.token(),
                ClientOptions.defaults().withReconnectDeadline(deadline));
    }

    @Test
    void reconnectRightAfterARestartSucceedsAtOnce() {
        reconnectingWithin(RECONNECT_DEADLINE);
        int port = server.port();
        server.close();
        failWhileDown();
        server = ServerProcess.start(port, tokenFile, KEEPALIVE, KEEPALIVE_TIMEOUT);
        long start = System.nanoTime();
        client.reconnect();
        System.out.printf("[reconnect] after a restart: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        assertThat(client.lookup("catalog").get("name")).isEqualTo("demo");
    }

    @Test
    void reconnectWaitsForAServerThatIsStillStarting() throws Exception {
        reconnectingWithin(Duration.ofSeconds(30));
        int port = server.port();
        server.close();
        var reconnected = new CompletableFuture<Void>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                client.reconnect();
                reconnected.complete(null);
            } catch (RuntimeException e) {
                reconnected.completeExceptionally(e);
            }
        });
        server = ServerProcess.start(port, tokenFile, KEEPALIVE, KEEPALIVE_TIMEOUT); // a second or more
        t.join(Duration.ofSeconds(40));
        reconnected.get();
        assertThat(client.lookup("catalog").get("name")).isEqualTo("demo");
    }

    @Test
    void reconnectGivesUpAtItsDeadline() {
        reconnectingWithin(RECONNECT_DEADLINE);
        server.close();
        long start = System.nanoTime();
        assertThatThrownBy(client::reconnect).isInstanceOfSatisfying(RemoteException.class,
                e -> assertThat(e.code()).isEqualTo("UNAVAILABLE"))
                .hasMessageContaining("could not be reached within the reconnect deadline of PT1S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it kept trying up to its deadline")
                .isGreaterThanOrEqualTo(RECONNECT_DEADLINE);
    }
}
