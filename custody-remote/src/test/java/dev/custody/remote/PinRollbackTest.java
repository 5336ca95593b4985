package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.ref.Reference;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A result that never reached the client does not stay pinned: its pins are taken back when the
 * call's deadline passed while the method ran, and when the result is too big for the client.
 */
class PinRollbackTest {
    private final Hazards hazards = new Hazards();
    private ObjectServer server;

    @BeforeEach
    void start() {
        server = Fixtures.server().root("hazards", hazards).maxPinsPerSession(3).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aResultPastTheCallsDeadlineIsNotLeftPinned() {
        try (RemoteClient client = Fixtures.client(server, ClientOptions.defaults().withCallTimeout(Duration.ofMillis(200)))) {
            RemoteRef root = client.lookup("hazards");
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> root.invoke("slowItem", 600)).isInstanceOfSatisfying(RemoteException.class,
                        e -> assertThat(e.code()).isEqualTo("DEADLINE_EXCEEDED"));
            }
            assertThat(Fixtures.within(Duration.ofSeconds(10), () -> hazards.slowReturned.get() == 3)).isTrue();
            Fixtures.sleep(200); // the results are pinned as the methods return
            assertThat(Fixtures.within(Duration.ofSeconds(10), () -> server.pinCount(client.sessionId()) == 1))
                    .as("each slow item was pinned after its deadline, and taken back").isTrue();
            // With the cap at 3, pins left behind would refuse these.
            RemoteRef a = (RemoteRef) root.invoke("slowItem", 0);
            RemoteRef b = (RemoteRef) root.invoke("slowItem", 0);
            assertThat(server.pinCount(client.sessionId())).isEqualTo(3);
            Reference.reachabilityFence(a);
            Reference.reachabilityFence(b);
            Reference.reachabilityFence(root);
        }
    }

    @Test
    void aResultTooBigForTheClientIsNotLeftPinned() {
        try (RemoteClient client = Fixtures.client(server, ClientOptions.defaults().withMaxInboundMessageBytes(64 * 1024))) {
            RemoteRef root = client.lookup("hazards");
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> root.invoke("oversized", 100_000)).isInstanceOf(RemoteException.class)
                        .hasMessageContaining("RESOURCE_EXHAUSTED");
            }
            assertThat(server.pinCount(client.sessionId())).as("taken back before the refusal was sent").isEqualTo(1);
            assertThat(root.invoke("oversized", 1000)).asList().hasSize(2);
            Reference.reachabilityFence(root);
        }
    }
}
