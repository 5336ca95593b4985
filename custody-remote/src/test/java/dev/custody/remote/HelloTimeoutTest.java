package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custody.remote.wire.ClientFrame;
import dev.custody.remote.wire.ObjectServiceGrpc;
import dev.custody.remote.wire.ServerFrame;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A session stream that never says hello is ended within the lease. */
class HelloTimeoutTest {

    @Test
    void aStreamWithoutHelloIsEndedWithinTheLease() throws Exception {
        try (ObjectServer server = Fixtures.server().lease(Duration.ofMillis(200), Duration.ofMillis(200)).start()) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.address().getPort(),
                    InsecureChannelCredentials.create()).build();
            try {
                var ended = new CompletableFuture<Status>();
                long opened = System.nanoTime();
                StreamObserver<ClientFrame> silent = ObjectServiceGrpc.newStub(channel).session(new StreamObserver<>() {
                    public void onNext(ServerFrame f) {
                        ended.completeExceptionally(new AssertionError("an answer without a hello: " + f));
                    }

                    public void onError(Throwable t) {
                        ended.complete(Status.fromThrowable(t));
                    }

                    public void onCompleted() {
                        ended.complete(Status.OK);
                    }
                });
                // Stated bound: keepalive 200 ms + timeout 200 ms; 10 s is the tolerance for a loaded machine.
                Status status = ended.get(10, TimeUnit.SECONDS);
                long millis = (System.nanoTime() - opened) / 1_000_000;
                assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
                assertThat(status.getDescription()).contains("no hello within 400 ms");
                assertThat(millis).isGreaterThanOrEqualTo(400);
                silent.onCompleted();
                try (RemoteClient client = Fixtures.client(server)) {
                    assertThat(client.lookup("catalog").get("name")).as("the server serves on").isEqualTo("demo");
                }
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            } finally {
                channel.shutdownNow();
            }
        }
    }
}
