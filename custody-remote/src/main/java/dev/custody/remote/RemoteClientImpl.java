package dev.custody.remote;

import dev.custody.remote.wire.GetRequest;
import dev.custody.remote.wire.Handle;
import dev.custody.remote.wire.InvokeRequest;
import dev.custody.remote.wire.LookupRequest;
import dev.custody.remote.wire.StatsReply;
import dev.custody.remote.wire.StatsRequest;
import dev.custody.remote.wire.Value;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/** The client: one channel, the current session, the release queue and the GC signals. */
final class RemoteClientImpl implements RemoteClient {
    private final ManagedChannel channel;
    private final AccessToken token;
    private final ClientOptions options;
    private final Cleaner cleaner = Cleaner.create();
    private final AtomicLong liveProxies = new AtomicLong();
    private final ReleaseQueue queue;
    final GcSignals signals;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("custody-lease-heartbeat").unstarted(r));
    private ScheduledFuture<?> heartbeat;
    private volatile ClientSession session;
    private volatile boolean closed;

    private RemoteClientImpl(ManagedChannel channel, AccessToken token, ClientOptions options, ClientSession session) {
        this.channel = channel;
        this.token = token;
        this.options = options;
        this.session = session;
        GcSignals[] late = new GcSignals[1];
        this.queue = new ReleaseQueue(options, session, () -> {
            if (late[0] != null) {
                late[0].tick();
            }
        });
        this.signals = new GcSignals(queue, options, liveProxies::get);
        late[0] = signals;
        this.heartbeat = beat(session);
    }

    private ScheduledFuture<?> beat(ClientSession s) {
        long period = Math.max(1, s.limits.getHeartbeatMillis());
        return heartbeats.scheduleAtFixedRate(s::heartbeat, period, period, TimeUnit.MILLISECONDS);
    }

    static RemoteClient connect(String host, int port, AccessToken token, ClientOptions options) {
        String accessToken = token.read();
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(host, port, InsecureChannelCredentials.create())
                .maxInboundMessageSize(options.maxInboundMessageBytes()).build();
        try {
            return new RemoteClientImpl(channel, token, options, ClientSession.open(channel, accessToken,
                    options.maxInboundMessageBytes(), options.callTimeout(), false));
        } catch (RuntimeException e) {
            channel.shutdownNow();
            throw e;
        }
    }

    @Override
    public RemoteRef lookup(String root) {
        return (RemoteRef) call(session, "looking up '" + root + "'",
                s -> s.stub(options.callTimeout()).lookup(LookupRequest.newBuilder().setName(root).build()));
    }

    Object get(RemoteRefImpl ref, String property) {
        return call(ref.session, "reading '" + property + "' of handle " + ref.handle().id(),
                s -> s.stub(options.callTimeout()).get(GetRequest.newBuilder().setTarget(wire(ref)).setProperty(property).build()));
    }

    Object invoke(RemoteRefImpl ref, String method, Object[] args) {
        var req = InvokeRequest.newBuilder().setTarget(wire(ref)).setMethod(method);
        for (Object a : args) {
            req.addArgs(encode(a, ref.session));
        }
        return call(ref.session, "invoking '" + method + "' of handle " + ref.handle().id(),
                s -> s.stub(options.callTimeout()).invoke(req.build()));
    }

    private static Handle wire(RemoteRefImpl ref) {
        return Handle.newBuilder().setEpoch(ref.handle().epoch()).setId(ref.handle().id()).build();
    }

    private static Value encode(Object a, ClientSession s) {
        if (Scalars.isScalar(a)) {
            return Scalars.encode(a);
        }
        if (!(a instanceof RemoteRefImpl r)) {
            throw ClientErrors.badArgument(a);
        }
        if (r.session != s) {
            throw ClientErrors.foreignProxy(r.handle());
        }
        if (r.isClosed()) {
            throw ClientErrors.closed(r.handle());
        }
        return Value.newBuilder().setHandle(wire(r)).build();
    }

    /** One call on a session; a lost session or connection becomes SessionLostException. */
    private Object call(ClientSession s, String doing, Function<ClientSession, Value> body) {
        s.requireLive();
        Value v;
        try {
            v = body.apply(s);
        } catch (StatusRuntimeException e) {
            RemoteException failure = ClientErrors.fromStatus(Status.fromThrowable(e), doing);
            if (failure instanceof SessionLostException) {
                s.end(e.getStatus().toString());
                throw ClientErrors.sessionLost(s.id, doing + " failed with " + e.getStatus());
            }
            throw failure;
        }
        return decode(v, s);
    }

    private Object decode(Value v, ClientSession s) {
        return switch (v.getKindCase()) {
            case NULL_VALUE, KIND_NOT_SET -> null;
            case BOOL_VALUE -> v.getBoolValue();
            case LONG_VALUE -> v.getLongValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case STRING_VALUE -> v.getStringValue();
            case HANDLE -> {
                liveProxies.incrementAndGet();
                yield new RemoteRefImpl(this, s, v.getHandle().getId(), cleaner);
            }
            case LIST -> {
                List<Object> items = new ArrayList<>(v.getList().getItemsCount());
                for (Value item : v.getList().getItemsList()) {
                    items.add(decode(item, s));
                }
                yield items;
            }
        };
    }

    /** A proxy's release action: exactly once per proxy. */
    void released(ClientSession s, long id) {
        liveProxies.decrementAndGet();
        queue.add(s, id);
    }

    /** After close(): send now, unless a hold scope is open. */
    void releaseNow() {
        try {
            queue.flush(false);
        } catch (SessionLostException e) {
            // The server dropped the pin with the session.
        }
    }

    @Override
    public ReleaseHold holdReleases() {
        return queue.hold();
    }

    @Override
    public void flush() {
        queue.flush(true);
    }

    @Override
    public ServerStats serverStats() {
        ClientSession s = session;
        s.requireLive();
        try {
            StatsReply r = s.stub(options.callTimeout()).stats(StatsRequest.getDefaultInstance());
            return new ServerStats(r.getSessionPins(), r.getTotalPins(), r.getReleaseMessages(), r.getSessions());
        } catch (StatusRuntimeException e) {
            RemoteException failure = ClientErrors.fromStatus(Status.fromThrowable(e), "reading the server's stats");
            if (failure instanceof SessionLostException) {
                s.end(e.getStatus().toString());
            }
            throw failure;
        }
    }

    @Override
    public ClientMetrics metrics() {
        return new ClientMetrics(liveProxies.get(), queue.depth(), queue.queued.get(), queue.sent.get(),
                queue.messages.get(), queue.discarded.get(), signals.gcRequests.get(),
                queue.latency.percentile(50), queue.latency.percentile(99));
    }

    @Override
    public long sessionId() {
        return session.id;
    }

    @Override
    public synchronized void reconnect() {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
        token.read(); // first: an empty source changes nothing
        session.goodbye();
        heartbeat.cancel(false);
        ClientSession next = ClientSession.reopen(channel, token, options.maxInboundMessageBytes(),
                options.reconnectDeadline());
        queue.switchTo(next);
        session = next;
        heartbeat = beat(next);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (session.live()) {
                queue.flush(true);
            }
        } catch (RemoteException e) {
            // The session is going anyway; its pins go with it.
        } finally {
            queue.close();
            signals.close();
            heartbeats.shutdownNow();
            session.goodbye();
            channel.shutdown();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
