package dev.custody.remote;

/**
 * A session with an {@link ObjectServer}, handing out {@link RemoteRef} proxies.
 *
 * <pre>{@code
 * try (RemoteClient client = RemoteClient.connect("127.0.0.1", port, AccessToken.fromFile(tokenFile))) {
 *     RemoteRef catalog = client.lookup("catalog");
 *     try (var hold = client.holdReleases()) {
 *         for (int i = 0; i < 1000; i++) {
 *             ((RemoteRef) catalog.invoke("item", i)).get("label");
 *         }
 *     } // the dropped items' releases go in one batch here (once the Cleaner has seen them)
 * }
 * }</pre>
 *
 * <p>Releases are queued (by {@link RemoteRef#close()} or by a Cleaner when a proxy becomes
 * unreachable) and sent in batches of (handle, count), chunked below the server's limits. The
 * queue is flushed at once on close(), after GC notifications (a hint), when an old-generation
 * usage threshold is passed, on a timer, and when it passes a threshold. No GC is ever forced
 * unless {@link ClientOptions#gcRequestInterval()} asks for it.
 */
public interface RemoteClient extends AutoCloseable {
    /**
     * Opens a session with {@link ClientOptions#defaults()}.
     *
     * @param host the server's host name or address
     * @param port the server's port, as {@link ObjectServer#address()} gives it
     * @param token where the server's access token is read, now and at every reconnect
     * @return the client, with a session open
     * @throws RemoteException {@code UNAUTHENTICATED} if the token source holds no token or the
     *     server refuses the token; {@code UNAVAILABLE} if the server cannot be reached
     * @throws java.io.UncheckedIOException if a token file cannot be read
     */
    static RemoteClient connect(String host, int port, AccessToken token) {
        return connect(host, port, token, ClientOptions.defaults());
    }

    /**
     * Opens a session.
     *
     * @param host the server's host name or address
     * @param port the server's port, as {@link ObjectServer#address()} gives it
     * @param token where the server's access token is read, now and at every reconnect
     * @param options how the client flushes releases, times calls out and reconnects
     * @return the client, with a session open
     * @throws RemoteException {@code UNAUTHENTICATED} if the token source holds no token or the
     *     server refuses the token; {@code UNAVAILABLE} if the server cannot be reached
     * @throws java.io.UncheckedIOException if a token file cannot be read
     */
    static RemoteClient connect(String host, int port, AccessToken token, ClientOptions options) {
        return RemoteClientImpl.connect(host, port, token, options);
    }

    /**
     * A new proxy (and pin) on a named root.
     *
     * @param root the name the server gave the root ({@link ObjectServerBuilder#root})
     * @return a new proxy, to be closed (or dropped) by the caller
     * @throws RemoteException NOT_FOUND if no root has that name
     * @throws SessionLostException if the session ended
     */
    RemoteRef lookup(String root);

    /**
     * Opens a hold scope: releases are queued but not sent until the outermost open scope ends.
     * Scopes nest on a counter; each scope's close() counts once however often it is called.
     *
     * @return the open scope, to be closed (in a try-with-resources statement)
     */
    ReleaseHold holdReleases();

    /**
     * Sends every queued release now, even inside a hold scope.
     *
     * @throws SessionLostException if the session ended (its pins are already gone)
     * @throws RemoteException if the server refused the batch
     */
    void flush();

    /**
     * The server's figures for this session, read from the server now.
     *
     * @return the figures the server keeps for this session, and its totals
     * @throws SessionLostException if the session ended
     * @throws RemoteException if the server refused the call
     */
    ServerStats serverStats();

    /**
     * This client's own release figures, read locally (no call to the server).
     *
     * @return a snapshot of the proxy and release counters, and the release latencies
     */
    ClientMetrics metrics();

    /**
     * The current session's id; a {@link #reconnect()} opens a session with a new id.
     *
     * @return the id the server gave the current session, as {@link ObjectServer#pinCount(long)}
     *     takes it
     */
    long sessionId();

    /**
     * Ends the current session if it is still open and opens a new one, reading the access token
     * again. Proxies of the old session are dead: their calls throw {@link SessionLostException}.
     *
     * <p>A server that has just restarted may not be listening yet, the connection may be waiting
     * out its backoff after failed attempts, and the token file may still hold the old token: the
     * backoff is cut short, the server is waited for, and a refused token is read again and
     * retried, all up to {@link ClientOptions#reconnectDeadline()} (10 s by default).
     *
     * @throws RemoteException {@code UNAUTHENTICATED} if the token source holds no token when
     *     reconnect() is called (the current session is then left as it was), or the server still
     *     refuses the token at the reconnect deadline; {@code UNAVAILABLE} if the server could not be
     *     reached within the reconnect deadline
     * @throws java.io.UncheckedIOException if a token file cannot be read
     * @throws IllegalStateException if the client is closed
     */
    void reconnect();

    /** Flushes, ends the session and closes the connection. Idempotent. */
    @Override
    void close();
}
