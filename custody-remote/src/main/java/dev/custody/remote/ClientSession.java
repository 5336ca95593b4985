package dev.custody.remote;

import dev.custody.remote.wire.ClientFrame;
import dev.custody.remote.wire.Goodbye;
import dev.custody.remote.wire.Heartbeat;
import dev.custody.remote.wire.Hello;
import dev.custody.remote.wire.Limits;
import dev.custody.remote.wire.ObjectServiceGrpc;
import dev.custody.remote.wire.ServerFrame;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The client's side of one lease: the open session stream, the token, the epoch and the limits. */
final class ClientSession {
    static final long TOKEN_RETRY_MILLIS = 50;

    final long id;
    final long epoch;
    final Limits limits;
    private final ObjectServiceGrpc.ObjectServiceBlockingStub stub;
    private final StreamObserver<ClientFrame> stream;
    private volatile String endedBecause;

    private ClientSession(long id, long epoch, Limits limits, ObjectServiceGrpc.ObjectServiceBlockingStub stub,
            StreamObserver<ClientFrame> stream) {
        this.id = id;
        this.epoch = epoch;
        this.limits = limits;
        this.stub = stub;
        this.stream = stream;
    }

    /**
     * Opens the session stream and waits for the server's answer.
     *
     * @param maxInboundBytes the client's inbound message limit, told to the server in the hello
     * @param waitForReady whether to wait, up to {@code timeout}, for a server that cannot be
     *     reached yet, instead of failing at once with {@code UNAVAILABLE}
     * @throws RemoteException the server's refusal, or {@code UNAVAILABLE} or {@code
     *     DEADLINE_EXCEEDED} if there is no answer within {@code timeout}
     */
    static ClientSession open(ManagedChannel channel, String accessToken, int maxInboundBytes, Duration timeout,
            boolean waitForReady) {
        var opened = new CompletableFuture<ServerFrame>();
        var holder = new CompletableFuture<ClientSession>();
        StreamObserver<ServerFrame> answers = new StreamObserver<>() {
            @Override
            public void onNext(ServerFrame f) {
                opened.complete(f);
            }

            @Override
            public void onError(Throwable t) {
                opened.completeExceptionally(t);
                holder.thenAccept(s -> s.end("the session stream failed: " + Status.fromThrowable(t)));
            }

            @Override
            public void onCompleted() {
                opened.completeExceptionally(Status.UNAVAILABLE.withDescription("server ended the session")
                        .asRuntimeException());
                holder.thenAccept(s -> s.end("the server ended the session"));
            }
        };
        var sessions = ObjectServiceGrpc.newStub(channel);
        StreamObserver<ClientFrame> stream = (waitForReady ? sessions.withWaitForReady() : sessions).session(answers);
        stream.onNext(ClientFrame.newBuilder().setHello(Hello.newBuilder().setAccessToken(accessToken)
                .setMaxInboundMessageBytes(maxInboundBytes)).build());
        ServerFrame frame;
        try {
            frame = opened.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw ClientErrors.refused(Status.fromThrowable(e.getCause()), "opening a session");
        } catch (TimeoutException e) {
            stream.onError(e);
            ConnectivityState state = channel.getState(false);
            if (state != ConnectivityState.READY) {
                throw new RemoteException("UNAVAILABLE", "no session within " + timeout + ": the server could not be"
                        + " reached (the connection is " + state + ")");
            }
            throw new RemoteException("DEADLINE_EXCEEDED", "no answer to opening a session within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stream.onError(e);
            throw new RemoteException("CANCELLED", "interrupted while opening a session");
        }
        var o = frame.getOpened();
        Metadata md = new Metadata();
        md.put(SessionInterceptor.TOKEN, o.getSessionToken());
        var stub = ObjectServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        var session = new ClientSession(o.getSessionId(), o.getEpoch(), o.getLimits(), stub, stream);
        holder.complete(session);
        return session;
    }

    /**
     * Opens a session again, after the server was lost, trying until {@code deadline}: the
     * connection's backoff is cut short, a server that is not listening yet is waited for, and a
     * token the server refuses (or an empty source) is read again after {@value #TOKEN_RETRY_MILLIS}
     * ms, because a restarted server writes its new token just after it starts listening.
     *
     * @throws RemoteException as {@link #open}, once the deadline has passed
     */
    static ClientSession reopen(ManagedChannel channel, AccessToken token, int maxInboundBytes, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        channel.resetConnectBackoff();
        for (;;) {
            try {
                String accessToken = token.read();
                return open(channel, accessToken, maxInboundBytes, Duration.ofNanos(Math.max(1, end - System.nanoTime())),
                        true);
            } catch (RemoteException e) {
                if (e.code().equals("UNAVAILABLE")) {
                    throw new RemoteException("UNAVAILABLE", "the server could not be reached within the reconnect"
                            + " deadline of " + deadline + " (the connection is " + channel.getState(false) + ")");
                }
                if (!e.code().equals("UNAUTHENTICATED")
                        || end - System.nanoTime() < TimeUnit.MILLISECONDS.toNanos(TOKEN_RETRY_MILLIS)) {
                    throw e;
                }
                try {
                    Thread.sleep(TOKEN_RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RemoteException("CANCELLED", "interrupted while opening a session");
                }
            }
        }
    }

    /** The stub for a call, with its deadline. */
    ObjectServiceGrpc.ObjectServiceBlockingStub stub(Duration timeout) {
        requireLive();
        return stub.withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    void requireLive() {
        String why = endedBecause;
        if (why != null) {
            throw ClientErrors.sessionLost(id, why);
        }
    }

    boolean live() {
        return endedBecause == null;
    }

    /** Marks the session ended; the first reason is kept. */
    void end(String why) {
        synchronized (this) {
            if (endedBecause == null) {
                endedBecause = why;
            }
        }
    }

    /** Shows the server this client is alive; sent every {@code limits.heartbeat_millis}. */
    void heartbeat() {
        synchronized (stream) {
            if (live()) {
                try {
                    stream.onNext(ClientFrame.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
                } catch (StatusRuntimeException | IllegalStateException e) {
                    // The stream failed; its observer ends the session.
                }
            }
        }
    }

    /** Ends the lease from this side: the server drops every pin of the session. */
    void goodbye() {
        synchronized (stream) {
            if (live()) {
                end("the client ended the session");
                try {
                    stream.onNext(ClientFrame.newBuilder().setGoodbye(Goodbye.getDefaultInstance()).build());
                    stream.onCompleted();
                } catch (StatusRuntimeException | IllegalStateException e) {
                    // The stream is already gone: so is the lease.
                }
            }
        }
    }
}
