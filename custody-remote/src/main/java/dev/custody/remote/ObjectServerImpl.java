package dev.custody.remote;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A started object server: a grpc-java server around the {@link ServerState}. */
final class ObjectServerImpl implements ObjectServer {
    private static final String NETTY_BUILDER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder";

    private final Server server;
    private final ServerState state;
    private final String accessToken;
    private final Duration leaseBound;

    private ObjectServerImpl(Server server, ServerState state, String accessToken, Duration leaseBound) {
        this.server = server;
        this.state = state;
        this.accessToken = accessToken;
        this.leaseBound = leaseBound;
    }

    static ObjectServer start(ServerState state, InetSocketAddress bind, Duration keepAliveTime,
            Duration keepAliveTimeout, String accessToken, Duration leaseBound) throws IOException {
        StackTraceLimit.install();
        Server server = forAddress(bind)
                .addService(ServerInterceptors.intercept(new ObjectService(state), new SessionInterceptor(state)))
                .keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS)
                .maxInboundMessageSize(state.limits().getMaxMessageBytes())
                .build()
                .start();
        return new ObjectServerImpl(server, state, accessToken, leaseBound);
    }

    /**
     * A server builder bound to one address. grpc-java's transport-neutral factory takes only a port
     * and binds every interface, so the bind address needs the transport's own builder; it is
     * reached reflectively because grpc-netty-shaded cannot be required as a module (see module-info).
     */
    private static ServerBuilder<?> forAddress(InetSocketAddress bind) {
        try {
            return (ServerBuilder<?>) Class.forName(NETTY_BUILDER)
                    .getMethod("forAddress", SocketAddress.class, ServerCredentials.class)
                    .invoke(null, bind, InsecureServerCredentials.create());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("grpc-netty-shaded is not on the class path: " + e, e);
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().getFirst();
    }

    @Override
    public String accessToken() {
        return accessToken;
    }

    @Override
    public long epoch() {
        return state.epoch();
    }

    @Override
    public Duration leaseBound() {
        return leaseBound;
    }

    @Override
    public long pinCount() {
        return state.pinCount();
    }

    @Override
    public long pinCount(long sessionId) {
        return state.pinCount(sessionId);
    }

    @Override
    public Map<Long, Long> sessionPins() {
        return state.sessionPins();
    }

    @Override
    public long releaseMessages(long sessionId) {
        return state.releaseMessages(sessionId);
    }

    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.closeAll();
    }

    @Override
    public String toString() {
        return "ObjectServer[" + address() + ", epoch " + Long.toHexString(state.epoch()) + ", " + pinCount() + " pins]";
    }
}
