package dev.custody.remote;

import io.grpc.Status;

/** The client's exceptions, built in one place and only on the failure path. */
final class ClientErrors {
    private ClientErrors() {
    }

    static SessionLostException sessionLost(long session, String why) {
        return new SessionLostException("session " + session + " has ended (" + why
                + "); the server has dropped its pins and its proxies are dead; call reconnect()");
    }

    /** A failed call's status as an exception; a lost session or connection is SessionLostException. */
    static RemoteException fromStatus(Status status, String doing) {
        String what = doing + ": " + status.getCode() + (status.getDescription() == null ? "" : " " + status.getDescription());
        return switch (status.getCode()) {
            case UNAUTHENTICATED, UNAVAILABLE, CANCELLED -> new SessionLostException(what);
            default -> refused(status, doing);
        };
    }

    /** A failed call's status as a plain RemoteException. */
    static RemoteException refused(Status status, String doing) {
        return new RemoteException(status.getCode().name(), doing + ": "
                + (status.getDescription() == null ? status.getCode().name() : status.getDescription()));
    }

    static IllegalStateException closed(RemoteRef.Handle handle) {
        return new IllegalStateException("proxy " + handle.id() + " was closed; its pin is released");
    }

    static IllegalArgumentException foreignProxy(RemoteRef.Handle handle) {
        return new IllegalArgumentException("proxy " + handle.id() + " belongs to another session");
    }

    static IllegalArgumentException badArgument(Object arg) {
        return new IllegalArgumentException("cannot send a " + arg.getClass().getName()
                + ": arguments are numbers, booleans, strings, null or proxies");
    }
}
