package dev.custody.remote;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** The server's refusals, built in one place and only on the failure path. */
final class Failures {
    private Failures() {
    }

    static StatusRuntimeException unknownHandle(long id) {
        return Status.NOT_FOUND.withDescription("handle " + id + " is not pinned by this session").asRuntimeException();
    }

    static StatusRuntimeException staleEpoch(long epoch, long current) {
        return Status.NOT_FOUND.withDescription("handle is from server epoch " + Long.toHexString(epoch)
                + ", this server is epoch " + Long.toHexString(current) + " (the server restarted)")
                .asRuntimeException();
    }

    static StatusRuntimeException unknownRoot(String name) {
        return Status.NOT_FOUND.withDescription("no root named '" + name + "' is exported").asRuntimeException();
    }

    static StatusRuntimeException badSession() {
        return Status.UNAUTHENTICATED.withDescription(
                "unknown or ended session: its lease expired or the server restarted; reconnect").asRuntimeException();
    }

    static StatusRuntimeException leaseExpired(long boundMillis) {
        return Status.UNAVAILABLE.withDescription("lease expired: nothing from the client for " + boundMillis
                + " ms; every pin of the session was released").asRuntimeException();
    }

    static StatusRuntimeException badAccessToken() {
        return Status.UNAUTHENTICATED.withDescription("wrong access token").asRuntimeException();
    }

    static StatusRuntimeException notAllowed(Class<?> type, String member) {
        return Status.PERMISSION_DENIED.withDescription(
                "'" + member + "' of " + type.getName() + " is not on the allowlist").asRuntimeException();
    }

    static StatusRuntimeException notExported(Class<?> type) {
        return Status.PERMISSION_DENIED.withDescription(
                "type " + type.getName() + " is not on the allowlist and cannot be sent").asRuntimeException();
    }

    static StatusRuntimeException pinCap(long held, long more, long cap) {
        return Status.RESOURCE_EXHAUSTED.withDescription("session holds " + held + " pins; " + more
                + " more would pass the cap of " + cap + " pins per session").asRuntimeException();
    }

    static StatusRuntimeException tooManyEntries(int entries, int cap) {
        return Status.RESOURCE_EXHAUSTED.withDescription(
                "release of " + entries + " entries passes the cap of " + cap + " per message").asRuntimeException();
    }

    static StatusRuntimeException badArgument(String why) {
        return Status.INVALID_ARGUMENT.withDescription(why).asRuntimeException();
    }

    static StatusRuntimeException overRelease(long id, long count, long held) {
        return Status.INVALID_ARGUMENT.withDescription(
                "release of " + count + " on handle " + id + " which holds " + held + " pins").asRuntimeException();
    }

    /** An exported method threw: its type, and its message or a stand-in. */
    static StatusRuntimeException threw(String member, Class<?> type, String message) {
        return Status.UNKNOWN.withDescription("'" + member + "' threw " + type.getName() + ": " + message)
                .asRuntimeException();
    }

    static StatusRuntimeException serverFailed(Class<?> type) {
        return Status.INTERNAL.withDescription("the server failed (" + type.getName() + "); see its log")
                .asRuntimeException();
    }

    static StatusRuntimeException resultTooBig(int bytes, int limit, int pins) {
        return Status.RESOURCE_EXHAUSTED.withDescription("the result is " + bytes + " bytes, more than the " + limit
                + " bytes this session's client accepts (as it said when the session opened); it was not sent, and its "
                + pins + " pins were taken back").asRuntimeException();
    }

    static StatusRuntimeException noHello(long millis) {
        return Status.DEADLINE_EXCEEDED.withDescription("no hello within " + millis
                + " ms of opening the session stream").asRuntimeException();
    }

    static StatusRuntimeException protocol(String why) {
        return Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException();
    }
}
