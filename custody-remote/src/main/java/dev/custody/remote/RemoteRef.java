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
     * @param property the name of a property the server's allowlist exports for this object's type
     * @return the property's value, by value or as a new proxy (see the class comment)
     * @throws IllegalStateException if this proxy was closed
     * @throws SessionLostException if the session ended
     * @throws RemoteException if the server refused (not allowed, no such property, the getter threw)
     */
    Object get(String property);

    /**
     * Invokes an allowed method. Arguments may be numbers, booleans, strings, chars, enums, null, or proxies of
     * the same session.
     *
     * @param method the name of a method the server's allowlist exports for this object's type
     * @param args the arguments, of the kinds above; none for a method without parameters
     * @return the method's result, by value or as a new proxy (see the class comment); null when the method
     *     returned null or is {@code void}
     * @throws IllegalStateException if this proxy was closed
     * @throws IllegalArgumentException if an argument is of another kind, or a proxy of another session
     * @throws SessionLostException if the session ended
     * @throws RemoteException if the server refused or the method threw
     */
    Object invoke(String method, Object... args);

    /**
     * The pin's name on the wire. It stays readable after {@link #close()}.
     *
     * @return the server's epoch and the pin's id
     */
    Handle handle();

    /**
     * Whether this proxy was closed, by {@link #close()}; a closed proxy refuses {@link #get} and
     * {@link #invoke}. A proxy whose session ended is not closed, but its calls throw {@link
     * SessionLostException}.
     *
     * @return true once {@link #close()} was called
     */
    boolean isClosed();

    /** Releases the pin now; idempotent. */
    @Override
    void close();

    /**
     * A pin's name on the wire.
     *
     * @param epoch the epoch of the server run that made the pin ({@link ObjectServer#epoch()});
     *     a handle of another epoch is refused
     * @param id the pin's id, unique within its epoch
     */
    record Handle(long epoch, long id) {
    }
}
