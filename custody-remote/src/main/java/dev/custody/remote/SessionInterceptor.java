package dev.custody.remote;

import dev.custody.remote.wire.ObjectServiceGrpc;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Checks the session token on every call but the one that opens a session. */
final class SessionInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("custody-session", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<ServerSession> SESSION = Context.key("custody-session");

    private final ServerState state;

    SessionInterceptor(ServerState state) {
        this.state = state;
    }

    /** The session of the call being served. */
    static ServerSession current() {
        return SESSION.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
            ServerCallHandler<Q, R> next) {
        if (call.getMethodDescriptor().equals(ObjectServiceGrpc.getSessionMethod())) {
            return next.startCall(call, headers);
        }
        ServerSession session = state.session(headers.get(TOKEN));
        if (session == null) {
            var refused = Failures.badSession();
            call.close(refused.getStatus(), new Metadata());
            return new ServerCall.Listener<>() {
            };
        }
        session.touch();
        return Contexts.interceptCall(Context.current().withValue(SESSION, session), call, headers, next);
    }
}
