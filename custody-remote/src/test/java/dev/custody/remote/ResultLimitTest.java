package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custody.remote.wire.Hello;
import dev.custody.remote.wire.InvokeRequest;
import dev.custody.remote.wire.LookupRequest;
import dev.custody.remote.wire.Opened;
import dev.custody.remote.wire.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.ref.Reference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the server sends is bounded by the limit the client states in its hello (gRPC's default,
 * 4 MiB, if it states none): a bigger result is refused on the server with a clear error.
 */
class ResultLimitTest {
    private ObjectServer server;

    @BeforeEach
    void start() {
        server = Fixtures.server().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theClientsLimitIsAgreedAndABiggerResultIsRefusedOnTheServer() {
        try (RemoteClient client = Fixtures.client(server, ClientOptions.defaults().withMaxInboundMessageBytes(100_000))) {
            RemoteRef hazards = client.lookup("hazards");
            assertThat(hazards.invoke("oversized", 90_000)).asList().hasSize(2);
            assertThatThrownBy(() -> hazards.invoke("oversized", 100_000))
                    .isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.code()).isEqualTo("RESOURCE_EXHAUSTED"))
                    .hasMessageContaining("more than the 100000 bytes this session's client accepts")
                    .hasMessageContaining("it was not sent");
            assertThat(hazards.invoke("oversized", 10)).asList().as("the session goes on").hasSize(2);
            Reference.reachabilityFence(hazards);
        }
    }

    @Test
    void aClientThatStatesNoLimitGetsGrpcsDefault() throws Exception {
        try (RawSession raw = RawSession.open(server)) {
            Opened opened = raw.opened;
            assertThat(opened.getLimits().getMaxResultBytes()).isEqualTo(4 << 20);
            var stub = raw.stub();
            Value hazards = stub.lookup(LookupRequest.newBuilder().setName("hazards").build());
            InvokeRequest big = InvokeRequest.newBuilder().setTarget(hazards.getHandle()).setMethod("oversized")
                    .addArgs(Value.newBuilder().setLongValue(5 << 20)).build();
            assertThatThrownBy(() -> stub.invoke(big)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription()).contains("more than the 4194304 bytes");
            });
            assertThat(server.pinCount(opened.getSessionId())).isEqualTo(1);
        }
    }

    @Test
    void theAgreedLimitIsTheOneTheClientStated() throws Exception {
        try (RawSession raw = RawSession.open(server,
                Hello.newBuilder().setAccessToken(server.accessToken()).setMaxInboundMessageBytes(1000).build())) {
            assertThat(raw.opened.getLimits().getMaxResultBytes()).isEqualTo(1000);
        }
    }
}
