package dev.custody.remote;

/**
 * The client's session has ended: the server restarted, the connection dropped, or the lease
 * expired while the client did not answer keepalive. The server has already dropped every pin of
 * the session, so its proxies are dead. {@link RemoteClient#reconnect()} opens a new session.
 */
public class SessionLostException extends RemoteException {
    /** Made by the client when it sees its session end; not for callers. */
    SessionLostException(String message) {
        super("SESSION_LOST", message);
    }
}
