package dev.custody.remote;

import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What a client learns when a call fails inside the server. An exception an exported method threw
 * reaches the client as its type and "the method threw", unless its type is one the server lets
 * through with its message; a failure of the server itself, as its type only. The rest goes to the
 * server's log ({@value #LOGGER}, where {@link StackTraceLimit} bounds the stack traces).
 */
final class Disclosure {
    static final String LOGGER = "dev.custody.remote";
    static final String HIDDEN = "the method threw";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final List<Class<? extends Throwable>> revealed;

    /** @param revealed the exception types (with their subtypes) whose messages clients may see */
    Disclosure(List<Class<? extends Throwable>> revealed) {
        this.revealed = List.copyOf(revealed);
    }

    /** The status for an exception that the exported method {@code member} of {@code type} threw. */
    StatusRuntimeException threw(Class<?> type, String member, Throwable cause) {
        if (revealed.stream().anyMatch(r -> r.isInstance(cause))) {
            return Failures.threw(member, cause.getClass(), String.valueOf(cause.getMessage()));
        }
        LOG.log(Level.WARNING, cause, () -> "'" + member + "' of " + type.getName()
                + " threw; the client was told its type only");
        return Failures.threw(member, cause.getClass(), HIDDEN);
    }

    /** The status for a failure of the server's own code while it served a call. */
    StatusRuntimeException serverFailed(RuntimeException e) {
        LOG.log(Level.SEVERE, "a call failed inside the object server", e);
        return Failures.serverFailed(e.getClass());
    }
}
