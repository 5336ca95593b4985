package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls, values, pins and the allowlist, against a server in this JVM over loopback gRPC. */
class ObjectServerTest {
    private ObjectServer server;
    private RemoteClient client;

    @BeforeEach
    void start() {
        server = Fixtures.server().maxPinsPerSession(50_000).start();
        client = Fixtures.client(server);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void theServerBindsToLoopbackByDefault() {
        assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void valuesComeByValueAndObjectsAsNewPins() {
        RemoteRef catalog = client.lookup("catalog");
        assertThat(catalog.get("name")).isEqualTo("demo");
        assertThat(catalog.get("size")).isEqualTo(100_000L);
        RemoteRef item = (RemoteRef) catalog.invoke("item", 7);
        assertThat(item.get("label")).isEqualTo("demo#7");
        assertThat(item.get("id")).isEqualTo(7L);
        assertThat(item.handle().epoch()).isEqualTo(server.epoch());
        // A proxy goes back as an argument; the same object sent twice is one handle, two pins.
        RemoteRef again = (RemoteRef) catalog.invoke("item", 7);
        assertThat(again.handle()).isEqualTo(item.handle());
        assertThat(item.invoke("sameLabel", again)).isEqualTo(true);
        assertThat(server.pinCount(client.sessionId())).isEqualTo(3);
        assertThat(client.serverStats().sessionPins()).isEqualTo(3);
        Reference.reachabilityFence(catalog); // the three pins are these proxies'
        Reference.reachabilityFence(item);
        Reference.reachabilityFence(again);
    }

    @Test
    void closeReleasesAtOnceAndExactlyOnce() {
        RemoteRef catalog = client.lookup("catalog");
        RemoteRef item = (RemoteRef) catalog.invoke("item", 1);
        RemoteRef same = (RemoteRef) catalog.invoke("item", 1);
        assertThat(server.pinCount()).isEqualTo(3);
        item.close();
        assertThat(server.pinCount()).as("close() sends the release before it returns").isEqualTo(2);
        item.close();
        assertThat(server.pinCount()).isEqualTo(2);
        assertThatThrownBy(() -> item.get("label")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("was closed");
        assertThat(same.get("label")).as("the other pin of the same object still works").isEqualTo("demo#1");
        // The closed proxy's Cleaner must not release a second time once it is collected.
        List<RemoteRef> closedOnes = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            RemoteRef r = (RemoteRef) catalog.invoke("make", "x" + i);
            r.close();
            closedOnes.add(r);
        }
        closedOnes.clear();
        Fixtures.underAllocation(() -> false, Duration.ofMillis(500));
        client.flush();
        assertThat(client.metrics().releasesQueued()).as("one release per proxy, close and Cleaner together")
                .isEqualTo(201);
        assertThat(server.pinCount()).isEqualTo(2);
        Reference.reachabilityFence(catalog); // the two pins left are these proxies'
        Reference.reachabilityFence(same);
    }

    @Test
    void holdScopesNestAndReallyEnd() {
        RemoteRef catalog = client.lookup("catalog");
        ReleaseHold outer = client.holdReleases();
        ReleaseHold inner = client.holdReleases();
        RemoteRef a = (RemoteRef) catalog.invoke("make", "a");
        a.close();
        inner.close();
        inner.close(); // a second close of the same scope must not end the outer one
        assertThat(server.pinCount()).as("still held by the outer scope").isEqualTo(2);
        assertThat(client.metrics().queueDepth()).isEqualTo(1);
        assertThat(server.releaseMessages(client.sessionId())).isZero();
        outer.close();
        assertThat(server.pinCount()).as("the outer scope's end flushed").isEqualTo(1);
        assertThat(server.releaseMessages(client.sessionId())).isEqualTo(1);
        // After the scope, releases flow again at once.
        RemoteRef b = (RemoteRef) catalog.invoke("make", "b");
        b.close();
        assertThat(server.pinCount()).isEqualTo(1);
        Reference.reachabilityFence(catalog); // the pin left is the catalog's
    }

    /**
     * With the timer and the GC hint pushed out to an hour, only the threshold can send dropped
     * proxies' releases: 230 dropped go (the flush takes the whole queue), 30 dropped wait below it.
     */
    @Test
    void theQueueIsFlushedWhenItPassesTheThreshold() {
        var options = ClientOptions.defaults().withFlushInterval(Duration.ofHours(1))
                .withGcHintDelay(Duration.ofHours(1)).withFlushThreshold(50);
        try (RemoteClient c = Fixtures.client(server, options)) {
            RemoteRef catalog = c.lookup("catalog");
            long session = c.sessionId();
            dropMade(catalog, 230);
            assertThat(Fixtures.within(Duration.ofSeconds(30), () -> {
                System.gc(); // the test makes the proxies unreachable now; only the threshold may send
                return c.metrics().releasesSent() >= 200;
            })).isTrue();
            long sentBefore = c.metrics().releasesSent();
            dropMade(catalog, 30);
            assertThat(Fixtures.within(Duration.ofSeconds(30), () -> {
                System.gc();
                return c.metrics().releasesQueued() == 260;
            })).isTrue();
            Fixtures.sleep(300);
            assertThat(c.metrics().releasesSent()).as("30 is below the threshold: nothing sent").isEqualTo(sentBefore);
            assertThat(server.pinCount(session)).isEqualTo(1 + c.metrics().queueDepth());
            c.flush();
            assertThat(server.pinCount(session)).isEqualTo(1);
            Reference.reachabilityFence(catalog); // the pin left is the catalog's, not a 261st release
        }
    }

    private static void dropMade(RemoteRef catalog, int n) {
        List<RemoteRef> made = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            made.add((RemoteRef) catalog.invoke("make", "t" + i));
        }
        made.clear();
    }

    @Test
    void releasesAreChunkedUnderTheServersLimit() {
        try (ObjectServer small = Fixtures.server().maxReleaseEntries(100).start();
                RemoteClient c = Fixtures.client(small)) {
            RemoteRef catalog = c.lookup("catalog");
            List<RemoteRef> made = new ArrayList<>();
            try (var hold = c.holdReleases()) {
                for (int i = 0; i < 1_000; i++) {
                    made.add((RemoteRef) catalog.invoke("make", "c" + i));
                }
                made.forEach(RemoteRef::close);
                assertThat(small.pinCount()).isEqualTo(1_001);
            }
            assertThat(small.pinCount()).isEqualTo(1);
            assertThat(small.releaseMessages(c.sessionId())).as("1,000 distinct handles, 100 per message").isEqualTo(10);
            assertThat(c.metrics().releasesDiscarded()).isZero();
            Reference.reachabilityFence(catalog); // the pin left is the catalog's
        }
    }

    @Test
    void proxiesMadeInsideAScopeStayReleasableAfterIt() {
        RemoteRef catalog = client.lookup("catalog");
        List<RemoteRef> made = new ArrayList<>();
        try (var hold = client.holdReleases()) {
            for (int i = 0; i < 500; i++) {
                made.add((RemoteRef) catalog.invoke("make", "m" + i));
            }
        }
        assertThat(server.pinCount()).isEqualTo(501);
        made.clear();
        assertThat(Fixtures.underAllocation(() -> server.pinCount() == 1, Duration.ofSeconds(30)))
                .as("dropped after the scope, released by the Cleaner, the GC hint and the timer").isTrue();
        Reference.reachabilityFence(catalog); // the pin left is the catalog's
    }

    @Test
    void allowlistAndBadCallsAreRefusedWithStatuses() {
        RemoteRef catalog = client.lookup("catalog");
        assertThatThrownBy(() -> catalog.invoke("hashCode")).isInstanceOf(RemoteException.class)
                .hasMessageContaining("PERMISSION_DENIED").hasMessageContaining("not on the allowlist");
        assertThatThrownBy(() -> catalog.get("nope")).isInstanceOf(RemoteException.class)
                .hasMessageContaining("PERMISSION_DENIED");
        assertThatThrownBy(() -> catalog.invoke("item", "seven")).isInstanceOf(RemoteException.class)
                .hasMessageContaining("INVALID_ARGUMENT");
        assertThatThrownBy(() -> catalog.invoke("fail", "on purpose")).isInstanceOf(RemoteException.class)
                .hasMessageContaining("UNKNOWN").hasMessageContaining("java.lang.IllegalStateException: the method threw");
        assertThatThrownBy(() -> client.lookup("secret")).isInstanceOf(RemoteException.class)
                .hasMessageContaining("NOT_FOUND");
        assertThatThrownBy(() -> catalog.invoke("make", new Object())).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.pinCount()).as("no refusal pinned anything").isEqualTo(1);
        assertThat(catalog.get("name")).isEqualTo("demo");
    }

    @Test
    void aResultPastThePinCapIsRefusedWhole() {
        RemoteRef catalog = client.lookup("catalog");
        assertThatThrownBy(() -> catalog.invoke("batch", 60_000)).isInstanceOf(RemoteException.class)
                .hasMessageContaining("RESOURCE_EXHAUSTED").hasMessageContaining("cap of 50000");
        assertThat(server.pinCount()).isEqualTo(1);
        Reference.reachabilityFence(catalog);
    }

    @Test
    void wrongAccessTokenIsRefused() {
        assertThatThrownBy(() -> RemoteClient.connect("127.0.0.1", server.address().getPort(),
                AccessToken.of("not-the-token-at-all")))
                .isInstanceOf(RemoteException.class).hasMessageContaining("UNAUTHENTICATED")
                .hasMessageContaining("wrong access token");
        assertThat(server.sessionPins()).hasSize(1);
    }

    @Test
    void endingTheSessionReleasesEverything() {
        RemoteRef catalog = client.lookup("catalog");
        Object batch = catalog.invoke("batch", 1000);
        assertThat(server.pinCount()).isEqualTo(1001);
        client.close();
        assertThat(Fixtures.within(Duration.ofSeconds(10), () -> server.pinCount() == 0)).isTrue();
        assertThat(batch).isNotNull();
    }
}
