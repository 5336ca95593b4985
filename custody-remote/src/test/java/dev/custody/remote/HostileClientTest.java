package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custody.remote.wire.GetRequest;
import dev.custody.remote.wire.Handle;
import dev.custody.remote.wire.InvokeRequest;
import dev.custody.remote.wire.ObjectServiceGrpc;
import dev.custody.remote.wire.Opened;
import dev.custody.remote.wire.ReleaseEntry;
import dev.custody.remote.wire.ReleaseRequest;
import dev.custody.remote.wire.StatsRequest;
import dev.custody.remote.wire.Value;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * A hostile second session, speaking raw gRPC: another session's handles, random handles, a stale
 * epoch, forged tokens, oversized messages and garbage bytes. Each attempt is refused with a
 * status, nothing changes, and the first session (a normal client) is unaffected.
 */
class HostileClientTest {
    /** The package of grpc-netty-shaded's transport, whose loggers report what a hostile client sent. */
    private static final String NETTY = "io.grpc.netty.shaded.io.grpc.netty.";
    private ObjectServer server;
    private RemoteClient victim;
    /** Held for the whole test: a proxy nothing refers to is released by the Cleaner at any GC. */
    private RemoteRef victimCatalog;
    private RemoteRef victimItem;
    private RawSession attacker;
    private ManagedChannel channel;
    private ObjectServiceGrpc.ObjectServiceBlockingStub hostile;
    private Opened hostileSession;

    @BeforeEach
    void start() throws Exception {
        server = Fixtures.server().maxMessageBytes(64 * 1024).maxReleaseEntries(100).start();
        victim = Fixtures.client(server);
        victimCatalog = victim.lookup("catalog");
        victimItem = (RemoteRef) victimCatalog.invoke("item", 42);
        attacker = RawSession.open(server);
        channel = attacker.channel;
        hostileSession = attacker.opened;
        hostile = attacker.stub();
    }

    private ObjectServiceGrpc.ObjectServiceBlockingStub withToken(String token) {
        return attacker.withToken(token);
    }

    @AfterEach
    void stop() {
        attacker.close();
        victim.close();
        server.close();
    }

    private static Handle handle(long epoch, long id) {
        return Handle.newBuilder().setEpoch(epoch).setId(id).build();
    }

    private static void refused(Status.Code code, Executable call) {
        assertThatThrownBy(call::execute).isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(code));
    }

    private void victimUnaffected() {
        assertThat(server.pinCount(victim.sessionId())).isEqualTo(2);
        assertThat(victimItem.get("label")).isEqualTo("demo#42");
        assertThat(server.pinCount(hostileSession.getSessionId())).isZero();
    }

    @Test
    void anotherSessionsHandlesAreNotFound() {
        Handle stolen = handle(server.epoch(), victimItem.handle().id());
        refused(Status.Code.NOT_FOUND, () -> hostile.get(GetRequest.newBuilder().setTarget(stolen).setProperty("label").build()));
        refused(Status.Code.NOT_FOUND, () -> hostile.invoke(InvokeRequest.newBuilder().setTarget(stolen).setMethod("next").build()));
        refused(Status.Code.NOT_FOUND, () -> hostile.release(ReleaseRequest.newBuilder().setEpoch(server.epoch())
                .addEntries(ReleaseEntry.newBuilder().setId(stolen.getId()).setCount(1)).build()));
        victimUnaffected();
    }

    @Test
    void randomHandlesAndStaleEpochsAreNotFound() {
        Random random = new Random(4);
        for (int i = 0; i < 200; i++) {
            Handle forged = handle(i % 2 == 0 ? server.epoch() : random.nextLong(), random.nextLong());
            refused(Status.Code.NOT_FOUND, () -> hostile.get(GetRequest.newBuilder().setTarget(forged).setProperty("label").build()));
        }
        assertThatThrownBy(() -> hostile.get(GetRequest.newBuilder().setTarget(handle(server.epoch() + 1, 1))
                .setProperty("label").build())).hasMessageContaining("the server restarted");
        victimUnaffected();
    }

    @Test
    void aBatchWithOneForeignHandleReleasesNothing() {
        Value own = hostile.lookup(dev.custody.remote.wire.LookupRequest.newBuilder().setName("catalog").build());
        long ownId = own.getHandle().getId();
        refused(Status.Code.NOT_FOUND, () -> hostile.release(ReleaseRequest.newBuilder().setEpoch(server.epoch())
                .addEntries(ReleaseEntry.newBuilder().setId(ownId).setCount(1))
                .addEntries(ReleaseEntry.newBuilder().setId(victimItem.handle().id()).setCount(1)).build()));
        refused(Status.Code.INVALID_ARGUMENT, () -> hostile.release(ReleaseRequest.newBuilder().setEpoch(server.epoch())
                .addEntries(ReleaseEntry.newBuilder().setId(ownId).setCount(2)).build()));
        assertThat(server.pinCount(hostileSession.getSessionId())).as("all or nothing").isEqualTo(1);
        assertThat(server.pinCount(victim.sessionId())).isEqualTo(2);
        assertThat(victimItem.get("label")).isEqualTo("demo#42");
    }

    @Test
    void forgedAndMissingTokensAreUnauthenticated() {
        refused(Status.Code.UNAUTHENTICATED, () -> withToken("forged-" + hostileSession.getSessionToken())
                .stats(StatsRequest.getDefaultInstance()));
        refused(Status.Code.UNAUTHENTICATED, () -> ObjectServiceGrpc.newBlockingStub(channel)
                .stats(StatsRequest.getDefaultInstance()));
        victimUnaffected();
    }

    @Test
    void oversizedMessagesAndOverlongBatchesAreRefused() throws InterruptedException {
        Value own = hostile.lookup(dev.custody.remote.wire.LookupRequest.newBuilder().setName("catalog").build());
        String huge = "x".repeat(200_000);
        // grpc-java logs the refused message as a WARNING with a stack trace: expected here, so not printed
        try (ExpectedLog warning = ExpectedLog.expect(NETTY + "NettyServerStream", "exceeds maximum size")) {
            refused(Status.Code.RESOURCE_EXHAUSTED, () -> hostile.invoke(InvokeRequest.newBuilder()
                    .setTarget(own.getHandle()).setMethod("make").addArgs(Value.newBuilder().setStringValue(huge))
                    .build()));
            assertThat(warning.await(Duration.ofSeconds(10))).hasSize(1);
        }
        var tooMany = ReleaseRequest.newBuilder().setEpoch(server.epoch());
        for (int i = 0; i < 101; i++) {
            tooMany.addEntries(ReleaseEntry.newBuilder().setId(own.getHandle().getId()).setCount(1));
        }
        refused(Status.Code.RESOURCE_EXHAUSTED, () -> hostile.release(tooMany.build()));
        assertThat(server.pinCount(hostileSession.getSessionId())).isEqualTo(1);
        assertThat(server.pinCount(victim.sessionId())).isEqualTo(2);
        assertThat(victimItem.get("label")).isEqualTo("demo#42");
    }

    @Test
    void garbageBytesAreRefusedAndTheServerKeepsServing() throws IOException, InterruptedException {
        // Garbage as a gRPC message body: the server cannot parse it and answers with a status.
        MethodDescriptor<byte[], byte[]> raw = ObjectServiceGrpc.getGetMethod().toBuilder(new Bytes(), new Bytes()).build();
        byte[] garbage = new byte[512];
        new Random(7).nextBytes(garbage);
        Metadata md = new Metadata();
        md.put(SessionInterceptor.TOKEN, hostileSession.getSessionToken());
        // grpc-java logs the refusal as SEVERE with a stack trace: expected here, so not printed
        try (ExpectedLog severe = ExpectedLog.expect("io.grpc.internal.SerializingExecutor",
                "Invalid protobuf byte sequence")) {
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(
                    io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(md)), raw,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), garbage))
                    .isInstanceOf(StatusRuntimeException.class);
            assertThat(severe.await(Duration.ofSeconds(10))).singleElement()
                    .satisfies(r -> assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE));
        }
        // Garbage instead of HTTP/2 on a raw socket: the connection is dropped (and logged, not printed).
        try (ExpectedLog info = ExpectedLog.expect(NETTY + "NettyServerTransport.connections",
                "client preface string");
                Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(garbage);
            out.flush();
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            while (in.read(buf) >= 0) {
                // read whatever the server answers until it closes the connection
            }
            assertThat(info.await(Duration.ofSeconds(10))).hasSize(1);
        }
        victimUnaffected();
        assertThat(hostile.stats(StatsRequest.getDefaultInstance()).getSessions()).isEqualTo(2);
    }

    /** Passes bytes through unchanged. */
    private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
