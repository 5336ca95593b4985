package dev.custody.remote;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * Exports named roots to {@link RemoteClient}s over gRPC, and pins every object it sends, per
 * session, until the client releases it or the session's lease ends.
 *
 * <p>A session lives as long as its session stream: when the client closes it, dies, or shows no
 * life (heartbeats, calls) for {@link #leaseBound()}, every pin of the session is dropped. Only
 * the server's pin table keeps a sent object alive for clients. A session stream that says no
 * hello within the lease's keepalive time plus timeout is ended with {@code DEADLINE_EXCEEDED}.
 *
 * <p>A result is pinned before it is sent, and its pins are taken back if it does not reach the
 * client: if its call is cancelled (the client's deadline passed while the method ran, or the
 * client went), or if it is larger than the inbound limit the client stated in its hello (4 MiB,
 * gRPC's default, if it stated none), in which case the call fails with {@code
 * RESOURCE_EXHAUSTED}. One case the server cannot see: a client whose deadline passes in the
 * instant after the whole reply was sent keeps those pins until it releases them or its session
 * ends.
 *
 * <p>When an exported method throws, the client gets the exception's type and "the method threw"
 * ({@code UNKNOWN}); the message and stack trace are logged on the server (logger {@code
 * dev.custody.remote}), unless {@link ObjectServerBuilder#revealExceptions} lets the type's
 * messages through. The stack traces that clients can provoke in the server's log, those of
 * grpc-java's refusals included, are limited to one per 10 s per kind.
 *
 * <pre>{@code
 * try (ObjectServer server = ObjectServer.builder()
 *         .allow(Allowlist.builder().allow(Catalog.class, "name", "item").build())
 *         .root("catalog", catalog)
 *         .start()) {
 *     Files.writeString(tokenFile, server.accessToken());
 *     ...
 * }
 * }</pre>
 */
public interface ObjectServer extends AutoCloseable {
    /**
     * A builder with the defaults: loopback, an ephemeral port, a random token, see {@link
     * ObjectServerBuilder}.
     *
     * @return a new builder, with no roots and an empty allowlist
     */
    static ObjectServerBuilder builder() {
        return new ObjectServerBuilder();
    }

    /**
     * The address the server listens on.
     *
     * @return the bound address, with the actual port when the builder asked for an ephemeral one
     */
    InetSocketAddress address();

    /**
     * The access token a client presents to open a session.
     *
     * @return the token given to the builder, or the random one it made
     */
    String accessToken();

    /**
     * This run's epoch: every handle carries it, and handles of another epoch are refused.
     *
     * @return the epoch, a random 64-bit number drawn when the server was built
     */
    long epoch();

    /**
     * The longest a stopped client keeps its pins (scheduling delays aside): keepalive time plus
     * keepalive timeout plus the period of the check for silent sessions.
     *
     * @return the lease bound, positive
     */
    Duration leaseBound();

    /**
     * Pins held by all sessions (an object sent twice to a session counts twice).
     *
     * @return the number of pins now held, 0 or more
     */
    long pinCount();

    /**
     * Pins held by one session, 0 once it has ended.
     *
     * @param sessionId the session's id, as {@link RemoteClient#sessionId()} gives it
     * @return the session's pins; 0 for an ended or unknown session
     */
    long pinCount(long sessionId);

    /**
     * Pins per live session, by session id.
     *
     * @return a snapshot: each live session's id mapped to its pin count
     */
    Map<Long, Long> sessionPins();

    /**
     * Release messages a session has sent, 0 once it has ended.
     *
     * @param sessionId the session's id, as {@link RemoteClient#sessionId()} gives it
     * @return the number of release batches received from the session; 0 for an ended or unknown
     *     session
     */
    long releaseMessages(long sessionId);

    /** Stops serving, ends every session and waits for the calls in flight. Idempotent. */
    @Override
    void close();
}
