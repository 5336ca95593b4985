package dev.custody.remote;

import dev.custody.remote.wire.Limits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Configures and starts an {@link ObjectServer}.
 *
 * <p>Defaults: bound to the loopback address on an ephemeral port; a random 256-bit access token;
 * an empty allowlist; lease keepalive 10 s with a 5 s timeout (lease bound 15 s); inbound
 * messages up to 4 MiB; at most 16,384 entries per release message; at most 1,000,000 pins per
 * session; no exception message of an exported method reaches clients.
 *
 * <p>Not configurable: a result is sent only within the inbound limit that the client states when
 * its session opens (4 MiB, gRPC's default, if it states none); a session stream must say hello
 * within the lease's keepalive time plus timeout (15 s by default).
 */
public final class ObjectServerBuilder {
    private InetSocketAddress bind = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private String accessToken = ServerState.newToken();
    private Allowlist allowlist = Allowlist.builder().build();
    private final Map<String, Object> roots = new LinkedHashMap<>();
    private Duration keepAliveTime = Duration.ofSeconds(10);
    private Duration keepAliveTimeout = Duration.ofSeconds(5);
    private int maxMessageBytes = 4 << 20;
    private int maxReleaseEntries = 16_384;
    private long maxPinsPerSession = 1_000_000;
    private final List<Class<? extends Throwable>> revealed = new ArrayList<>();

    ObjectServerBuilder() {
    }

    /**
     * Where to listen. Anything other than loopback exposes the server to the network.
     *
     * @param address the address and port to bind; port 0 takes an ephemeral one
     * @return this builder
     * @throws NullPointerException if {@code address} is null
     */
    public ObjectServerBuilder bind(InetSocketAddress address) {
        this.bind = Objects.requireNonNull(address, "address");
        return this;
    }

    /**
     * Listens on the loopback address, on this port.
     *
     * @param port the port, 0 for an ephemeral one
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is outside 0 to 65535
     */
    public ObjectServerBuilder port(int port) {
        return bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /**
     * The access token clients must present.
     *
     * @param token the token, of at least 16 characters; clients read it from a file or variable
     *     ({@link AccessToken})
     * @return this builder
     * @throws IllegalArgumentException if it is null or shorter than 16 characters
     */
    public ObjectServerBuilder token(String token) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("an access token needs at least 16 characters");
        }
        this.accessToken = token;
        return this;
    }

    /**
     * The types the server may send, and their members; it replaces the allowlist set before. Set
     * it before the {@link #root roots}, which must be on it.
     *
     * @param allowlist the allowed types and members
     * @return this builder
     * @throws NullPointerException if {@code allowlist} is null
     */
    public ObjectServerBuilder allow(Allowlist allowlist) {
        this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
        return this;
    }

    /**
     * Exports {@code object} under {@code name}. A name given again replaces the earlier root.
     *
     * @param name the name clients look the root up by ({@link RemoteClient#lookup})
     * @param object the root; the server holds it for as long as it runs
     * @return this builder
     * @throws NullPointerException if {@code object} is null
     * @throws IllegalArgumentException if its type is not on the allowlist set so far
     */
    public ObjectServerBuilder root(String name, Object object) {
        if (!allowlist.exports(object.getClass())) {
            throw new IllegalArgumentException("root '" + name + "' is a " + object.getClass().getName()
                    + ", which is not on the allowlist");
        }
        roots.put(name, object);
        return this;
    }

    /**
     * The lease: a client shows life (a heartbeat on its session stream, sent every {@code time / 2},
     * or any call) and the server ends a session that has been silent for {@code time + timeout},
     * checking every {@code time / 4} or 100 ms, whichever is less; {@link ObjectServer#leaseBound()}
     * is the sum.
     * The same figures go to the transport's HTTP/2 keepalive pings, which grpc-java clamps to at
     * least 10 s; they catch connections that die without closing.
     *
     * @param time the keepalive time, at least 1 ms (10 s by default)
     * @param timeout the keepalive timeout, at least 1 ms (5 s by default)
     * @return this builder
     * @throws IllegalArgumentException unless both are at least 1 ms
     */
    public ObjectServerBuilder lease(Duration time, Duration timeout) {
        if (time.toMillis() < 1 || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("keepalive time and timeout must be at least 1 ms");
        }
        this.keepAliveTime = time;
        this.keepAliveTimeout = timeout;
        return this;
    }

    /**
     * The largest inbound message, in bytes; larger ones are refused with RESOURCE_EXHAUSTED.
     *
     * @param bytes the limit, positive (4 MiB by default)
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public ObjectServerBuilder maxMessageBytes(int bytes) {
        this.maxMessageBytes = positive(bytes, "maxMessageBytes");
        return this;
    }

    /**
     * The most (handle, count) entries one release message may carry; clients chunk their batches
     * below it.
     *
     * @param entries the limit, positive (16,384 by default)
     * @return this builder
     * @throws IllegalArgumentException if {@code entries} is not positive
     */
    public ObjectServerBuilder maxReleaseEntries(int entries) {
        this.maxReleaseEntries = positive(entries, "maxReleaseEntries");
        return this;
    }

    /**
     * The most pins one session may hold; a result that would pass it is refused whole.
     *
     * @param pins the limit, positive (1,000,000 by default)
     * @return this builder
     * @throws IllegalArgumentException if {@code pins} is not positive
     */
    public ObjectServerBuilder maxPinsPerSession(long pins) {
        this.maxPinsPerSession = positive(pins, "maxPinsPerSession");
        return this;
    }

    /**
     * Lets the messages of these exception types, and of their subtypes, through to clients when
     * an exported method throws one. By default a client is told only the exception's type and
     * "the method threw"; the message and the stack trace go to the server's log (logger {@code
     * dev.custody.remote}, at most one stack trace per 10 s per kind). Calls add to the types
     * given before.
     *
     * @param types the exception types whose messages clients may read
     * @return this builder
     * @throws NullPointerException if a type is null
     */
    @SafeVarargs
    public final ObjectServerBuilder revealExceptions(Class<? extends Throwable>... types) {
        for (Class<? extends Throwable> t : types) {
            revealed.add(Objects.requireNonNull(t, "type"));
        }
        return this;
    }

    private static int positive(int v, String what) {
        return (int) positive((long) v, what);
    }

    private static long positive(long v, String what) {
        if (v <= 0) {
            throw new IllegalArgumentException(what + " must be positive, not " + v);
        }
        return v;
    }

    /**
     * Starts listening.
     *
     * @return the running server, to be closed by the caller
     * @throws UncheckedIOException if the address cannot be bound
     */
    public ObjectServer start() {
        Duration silence = keepAliveTime.plus(keepAliveTimeout);
        long heartbeat = Math.max(1, keepAliveTime.toMillis() / 2);
        Limits limits = Limits.newBuilder().setMaxMessageBytes(maxMessageBytes).setMaxReleaseEntries(maxReleaseEntries)
                .setMaxPins(maxPinsPerSession).setLeaseBoundMillis(silence.toMillis()).setHeartbeatMillis(heartbeat).build();
        var state = new ServerState(accessToken, roots, allowlist, limits, new Disclosure(revealed));
        Duration leaseBound = silence.plusMillis(ServerState.reaperPeriodMillis(heartbeat));
        try {
            return ObjectServerImpl.start(state, bind, keepAliveTime, keepAliveTimeout, accessToken, leaseBound);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + bind, e);
        }
    }
}
