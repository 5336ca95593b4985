package dev.custody.remote;

import dev.custody.remote.wire.ClientFrame;
import dev.custody.remote.wire.GetRequest;
import dev.custody.remote.wire.InvokeRequest;
import dev.custody.remote.wire.LookupRequest;
import dev.custody.remote.wire.ObjectServiceGrpc;
import dev.custody.remote.wire.Opened;
import dev.custody.remote.wire.ReleaseReply;
import dev.custody.remote.wire.ReleaseRequest;
import dev.custody.remote.wire.ServerFrame;
import dev.custody.remote.wire.StatsReply;
import dev.custody.remote.wire.StatsRequest;
import dev.custody.remote.wire.Value;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;

/** The gRPC service: sessions as leases, and the calls of a session, checked against its pins. */
final class ObjectService extends ObjectServiceGrpc.ObjectServiceImplBase {
    /** The inbound limit of a client that states none in its hello: gRPC's default. */
    static final int DEFAULT_CLIENT_INBOUND_BYTES = 4 << 20;

    private final ServerState state;

    ObjectService(ServerState state) {
        this.state = state;
    }

    @Override
    public StreamObserver<ClientFrame> session(StreamObserver<ServerFrame> out) {
        var call = (ServerCallStreamObserver<ServerFrame>) out;
        var lease = new Lease(out);
        // A cancelled stream (client gone, or keepalive failed) ends the lease.
        call.setOnCancelHandler(lease::end);
        // A stream that never says hello holds no pins, but it must not stay open beyond the lease either.
        lease.helloBy(state.schedule(lease::noHello, state.limits().getLeaseBoundMillis()));
        return lease;
    }

    /** The client's side of one session stream. */
    private final class Lease implements StreamObserver<ClientFrame> {
        private final StreamObserver<ServerFrame> out;
        private ServerSession session;
        private boolean answered;
        private Future<?> helloDeadline;

        Lease(StreamObserver<ServerFrame> out) {
            this.out = out;
        }

        synchronized void helloBy(Future<?> deadline) {
            helloDeadline = deadline;
        }

        private synchronized void noHello() {
            if (session == null) {
                refuse(Failures.noHello(state.limits().getLeaseBoundMillis()));
            }
        }

        @Override
        public synchronized void onNext(ClientFrame frame) {
            if (session != null) {
                session.touch();
            }
            switch (frame.getKindCase()) {
                case HELLO -> {
                    if (session != null) {
                        refuse(Failures.protocol("a session says hello once"));
                    } else if (!state.accessTokenMatches(frame.getHello().getAccessToken())) {
                        refuse(Failures.badAccessToken());
                    } else if (!answered) {
                        int inbound = frame.getHello().getMaxInboundMessageBytes();
                        session = state.open(inbound > 0 ? inbound : DEFAULT_CLIENT_INBOUND_BYTES);
                        session.onExpiry(this::expire);
                        helloDeadline.cancel(false);
                        out.onNext(ServerFrame.newBuilder().setOpened(Opened.newBuilder().setSessionId(session.id)
                                .setSessionToken(session.token).setEpoch(state.epoch())
                                .setLimits(state.limits().toBuilder().setMaxResultBytes(session.maxResultBytes)))
                                .build());
                    }
                }
                case HEARTBEAT -> {
                    if (session == null) {
                        refuse(Failures.protocol("a heartbeat before hello"));
                    }
                }
                case GOODBYE -> {
                    end();
                    complete();
                }
                case KIND_NOT_SET -> refuse(Failures.protocol("empty session frame"));
            }
        }

        private void refuse(StatusRuntimeException e) {
            end();
            if (!answered) {
                answered = true;
                out.onError(e);
            }
        }

        private synchronized void expire() {
            refuse(Failures.leaseExpired(state.limits().getLeaseBoundMillis()));
        }

        private void complete() {
            if (!answered) {
                answered = true;
                out.onCompleted();
            }
        }

        @Override
        public void onError(Throwable t) {
            end();
        }

        @Override
        public synchronized void onCompleted() {
            end();
            complete();
        }

        synchronized void end() {
            if (helloDeadline != null) {
                helloDeadline.cancel(false);
            }
            if (session != null) {
                state.close(session);
            }
        }
    }

    @Override
    public void lookup(LookupRequest request, StreamObserver<Value> out) {
        result(out, s -> state.root(request.getName()));
    }

    @Override
    public void get(GetRequest request, StreamObserver<Value> out) {
        result(out, s -> state.members().get(state.values().target(request.getTarget(), s), request.getProperty()));
    }

    @Override
    public void invoke(InvokeRequest request, StreamObserver<Value> out) {
        result(out, s -> {
            Object target = state.values().target(request.getTarget(), s);
            List<Object> args = new ArrayList<>(request.getArgsCount());
            for (Value v : request.getArgsList()) {
                args.add(state.values().decode(v, s));
            }
            return state.members().invoke(target, request.getMethod(), args);
        });
    }

    /**
     * Runs a call whose result goes back as a value, pinning its objects for the session, and takes
     * those pins back if the result does not reach the client: the call was cancelled (its deadline
     * passed while the method ran, or the client went), or the result is over the client's limit.
     */
    private void result(StreamObserver<Value> out, Function<ServerSession, Object> body) {
        var delivery = new Delivery();
        ((ServerCallStreamObserver<Value>) out).setOnCancelHandler(delivery::cancelled);
        unary(out, () -> {
            ServerSession s = SessionInterceptor.current();
            ServerValues.Encoded e = state.values().encode(body.apply(s), s);
            delivery.pinned(s, e.handles());
            int size = e.value().getSerializedSize();
            if (size > s.maxResultBytes) {
                delivery.takeBack();
                throw Failures.resultTooBig(size, s.maxResultBytes, e.handles().length);
            }
            return e.value();
        });
    }

    @Override
    public void release(ReleaseRequest request, StreamObserver<ReleaseReply> out) {
        unary(out, () -> {
            ServerSession s = SessionInterceptor.current();
            int n = request.getEntriesCount();
            if (n > state.limits().getMaxReleaseEntries()) {
                throw Failures.tooManyEntries(n, state.limits().getMaxReleaseEntries());
            }
            if (request.getEpoch() != state.epoch()) {
                throw Failures.staleEpoch(request.getEpoch(), state.epoch());
            }
            long[] handles = new long[n];
            long[] counts = new long[n];
            for (int i = 0; i < n; i++) {
                handles[i] = request.getEntries(i).getId();
                counts[i] = Integer.toUnsignedLong(request.getEntries(i).getCount());
            }
            long dropped = s.release(handles, counts);
            return ReleaseReply.newBuilder().setReleased(dropped).setSessionPins(s.pins()).build();
        });
    }

    @Override
    public void stats(StatsRequest request, StreamObserver<StatsReply> out) {
        unary(out, () -> {
            ServerSession s = SessionInterceptor.current();
            return StatsReply.newBuilder().setSessionPins(s.pins()).setTotalPins(state.pinCount())
                    .setReleaseMessages(s.releaseMessages()).setSessions(state.sessionCount()).build();
        });
    }

    /** Runs one call; a refusal or a bug becomes a status for this call only. */
    private <T> void unary(StreamObserver<T> out, Supplier<T> body) {
        T reply;
        try {
            reply = body.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            out.onError(state.disclosure().serverFailed(e));
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }
}
