package dev.custody.remote;

import dev.custody.remote.wire.ClientFrame;
import dev.custody.remote.wire.Hello;
import dev.custody.remote.wire.ObjectServiceGrpc;
import dev.custody.remote.wire.Opened;
import dev.custody.remote.wire.ServerFrame;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A session spoken in raw gRPC, as a hostile client would: its own channel, its hello, its token. */
final class RawSession implements AutoCloseable {
    final ManagedChannel channel;
    final Opened opened;

    private RawSession(ManagedChannel channel, Opened opened) {
        this.channel = channel;
        this.opened = opened;
    }

    /** Says {@code hello} on a new session stream and waits for the server's answer. */
    static RawSession open(ObjectServer server, Hello hello) throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.address().getPort(),
                InsecureChannelCredentials.create()).maxInboundMessageSize(64 << 20).build();
        var answer = new CompletableFuture<ServerFrame>();
        StreamObserver<ClientFrame> stream = ObjectServiceGrpc.newStub(channel).session(new StreamObserver<>() {
            public void onNext(ServerFrame f) {
                answer.complete(f);
            }

            public void onError(Throwable t) {
                answer.completeExceptionally(t);
            }

            public void onCompleted() {
            }
        });
        stream.onNext(ClientFrame.newBuilder().setHello(hello).build());
        try {
            return new RawSession(channel, answer.get(10, TimeUnit.SECONDS).getOpened());
        } catch (Exception e) {
            channel.shutdownNow();
            throw e;
        }
    }

    /** Says hello with the server's own access token and nothing else. */
    static RawSession open(ObjectServer server) throws Exception {
        return open(server, Hello.newBuilder().setAccessToken(server.accessToken()).build());
    }

    /** A stub that presents this session's token. */
    ObjectServiceGrpc.ObjectServiceBlockingStub stub() {
        return withToken(opened.getSessionToken());
    }

    /** A stub that presents {@code token}, with a 30 s deadline. */
    ObjectServiceGrpc.ObjectServiceBlockingStub withToken(String token) {
        Metadata md = new Metadata();
        md.put(SessionInterceptor.TOKEN, token);
        return ObjectServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
