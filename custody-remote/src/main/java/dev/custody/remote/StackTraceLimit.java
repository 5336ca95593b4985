package dev.custody.remote;

import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A {@code java.util.logging} filter that lets at most one record with a stack trace through per
 * {@link #WINDOW} per kind, so that a client cannot flood the server's log (gRPC logs every
 * oversized or unparsable message it refuses with a full stack trace). A kind is the logger, the
 * exception's type and, for a gRPC status, its code. The first record of a kind after a quiet
 * window goes through, saying how many were suppressed since the last one; records without a
 * stack trace always go through.
 */
final class StackTraceLimit implements Filter {
    static final Duration WINDOW = Duration.ofSeconds(10);

    /** The loggers of the grpc-java code that logs what clients send it, and custody's own. */
    private static final List<String> LOGGERS = List.of(
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream",
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerHandler",
            "io.grpc.netty.shaded.io.grpc.netty.NettyServerTransport",
            "io.grpc.internal.SerializingExecutor",
            "io.grpc.internal.ServerImpl",
            Disclosure.LOGGER);
    /** Held: java.util.logging keeps loggers weakly, and a collected logger loses its filter. */
    private static final Map<String, Logger> INSTALLED = new ConcurrentHashMap<>();

    private final LongSupplier clock;
    private final long windowNanos;
    private final Filter next;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    /** One kind's window. */
    private static final class Kind {
        long printedAt;
        long suppressed;
    }

    /**
     * @param clock nanoseconds, as {@link System#nanoTime()}
     * @param next the filter that was there before, or null
     */
    StackTraceLimit(LongSupplier clock, Duration window, Filter next) {
        this.clock = clock;
        this.windowNanos = window.toNanos();
        this.next = next;
    }

    /** Puts the limit on the loggers of {@link #LOGGERS}, once per JVM, keeping their own filters. */
    static void install() {
        for (String name : LOGGERS) {
            INSTALLED.computeIfAbsent(name, n -> {
                Logger logger = Logger.getLogger(n);
                logger.setFilter(new StackTraceLimit(System::nanoTime, WINDOW, logger.getFilter()));
                return logger;
            });
        }
    }

    @Override
    public boolean isLoggable(LogRecord r) {
        if (next != null && !next.isLoggable(r)) {
            return false;
        }
        Throwable t = r.getThrown();
        if (t == null) {
            return true;
        }
        Kind k = kinds.computeIfAbsent(kindOf(r.getLoggerName(), t), x -> new Kind());
        long now = clock.getAsLong();
        long suppressed;
        synchronized (k) {
            if (k.printedAt != 0 && now - k.printedAt < windowNanos) {
                k.suppressed++;
                return false;
            }
            k.printedAt = now == 0 ? 1 : now;
            suppressed = k.suppressed;
            k.suppressed = 0;
        }
        if (suppressed > 0) {
            r.setMessage(r.getMessage() + " [" + suppressed + " more like this since the last one were not logged: at"
                    + " most one stack trace per " + WINDOW.toSeconds() + " s per kind]");
        }
        return true;
    }

    private static String kindOf(String logger, Throwable t) {
        Status status = Status.fromThrowable(t);
        return logger + " " + t.getClass().getName() + (status.getCode() == Status.Code.UNKNOWN ? "" : " " + status.getCode());
    }
}
