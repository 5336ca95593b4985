package dev.custody.remote;

/**
 * A proxy for an object pinned in a server, for this client's session.
 *
 * <p>Values come back by value for primitives (as {@code Long}, {@code Double}, {@code Boolean}),
 * strings and enums (as {@code String}) and null; lists and arrays as {@code List<Object>}; and
 * other objects as new {@code RemoteRef}s, each a new pin.
 *
 * <p>{@link #close()} releases the pin at once (unless a {@link RemoteClient#holdReleases() hold}
 * is open). A proxy that becomes unreachable without being closed is queued for release by a
 * Cleaner and sent in the next batch. Either way the pin is released exactly once.
 */
public interface RemoteRef extends AutoCloseable {
    /**
     * Reads an allowed property.
     *
     * @throws IllegalStateException if this proxy was closed
     * @throws SessionLostException if the session ended
     * @throws RemoteException if the server refused (not allowed, no such property, the getter threw)
     */
    Object get(String property);

    /**
     * Invokes an allowed method. Arguments may be numbers, booleans, strings, chars, enums, null, or proxies of
     * the same session.
     *
     * @throws IllegalStateException if this proxy was closed
     * @throws IllegalArgumentException if an argument is of another kind, or a proxy of another session
     * @throws SessionLostException if the session ended
     * @throws RemoteException if the server refused or the method threw
     */
    Object invoke(String method, Object... args);

    /** The handle: the server's epoch and the pin's id. */
    Handle handle();

    boolean isClosed();

    /** Releases the pin now; idempotent. */
    @Override
    void close();

    /** A pin's name on the wire. */
    record Handle(long epoch, long id) {
    }
}
