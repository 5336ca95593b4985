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
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The gRPC service: sessions as leases, and the calls of a session, checked against its pins. */
final class ObjectService extends ObjectServiceGrpc.ObjectServiceImplBase {
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
        return lease;
    }

    /** The client's side of one session stream. */
    private final class Lease implements StreamObserver<ClientFrame> {
        private final StreamObserver<ServerFrame> out;
        private ServerSession session;
        private boolean answered;

        Lease(StreamObserver<ServerFrame> out) {
            this.out = out;
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
                    } else {
                        session = state.open();
                        session.onExpiry(this::expire);
                        out.onNext(ServerFrame.newBuilder().setOpened(Opened.newBuilder().setSessionId(session.id)
                                .setSessionToken(session.token).setEpoch(state.epoch()).setLimits(state.limits()))
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
            if (session != null) {
                state.close(session);
            }
        }
    }

    @Override
    public void lookup(LookupRequest request, StreamObserver<Value> out) {
        unary(out, () -> {
            ServerSession s = SessionInterceptor.current();
            return state.values().encode(state.root(request.getName()), s);
        });
    }

    @Override
    public void get(GetRequest request, StreamObserver<Value> out) {
        unary(out, () -> {
            ServerSession s = SessionInterceptor.current();
            Object target = state.values().target(request.getTarget(), s);
            return state.values().encode(state.members().get(target, request.getProperty()), s);
        });
    }

    @Override
    public void invoke(InvokeRequest request, StreamObserver<Value> out) {
        unary(out, () -> {
            ServerSession s = SessionInterceptor.current();
            Object target = state.values().target(request.getTarget(), s);
            List<Object> args = new ArrayList<>(request.getArgsCount());
            for (Value v : request.getArgsList()) {
                args.add(state.values().decode(v, s));
            }
            return state.values().encode(state.members().invoke(target, request.getMethod(), args), s);
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
    private static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
        T reply;
        try {
            reply = body.get();
        } catch (StatusRuntimeException e) {
            out.onError(e);
            return;
        } catch (RuntimeException e) {
            out.onError(Status.INTERNAL.withDescription(e.toString()).withCause(e).asRuntimeException());
            return;
        }
        out.onNext(reply);
        out.onCompleted();
    }
}
