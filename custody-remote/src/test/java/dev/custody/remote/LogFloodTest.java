package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custody.remote.wire.InvokeRequest;
import dev.custody.remote.wire.LookupRequest;
import dev.custody.remote.wire.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** A client cannot flood the server's log: at most one stack trace per 10 s per kind. */
class LogFloodTest {
    /** Where grpc-java logs each inbound message over the limit, with its stack trace. */
    private static final String DEFRAMER = "io.grpc.netty.shaded.io.grpc.netty.NettyServerStream";

    @Test
    void oversizedMessagesPrintAtMostOneStackTrace() throws Exception {
        List<LogRecord> printed = new CopyOnWriteArrayList<>();
        Handler keep = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getThrown() != null) {
                    printed.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(DEFRAMER);
        try (ObjectServer server = Fixtures.server().maxMessageBytes(16 * 1024).start();
                RawSession raw = RawSession.open(server)) {
            logger.addHandler(keep);
            var stub = raw.stub();
            Value catalog = stub.lookup(LookupRequest.newBuilder().setName("catalog").build());
            InvokeRequest huge = InvokeRequest.newBuilder().setTarget(catalog.getHandle()).setMethod("make")
                    .addArgs(Value.newBuilder().setStringValue("x".repeat(20_000))).build();
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> stub.invoke(huge)).isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            }
            assertThat(printed).as("20 oversized messages, one stack trace at most (none if another test's"
                    + " was printed within the window)").hasSizeLessThanOrEqualTo(1);
        } finally {
            logger.removeHandler(keep);
        }
    }

    @Test
    void theFirstRecordAfterTheWindowSaysHowManyWereSuppressed() {
        long[] now = {1_000};
        var limit = new StackTraceLimit(() -> now[0], Duration.ofSeconds(10), null);
        assertThat(limit.isLoggable(record(Status.RESOURCE_EXHAUSTED))).isTrue();
        for (int i = 0; i < 5; i++) {
            now[0] += 1_000_000_000L;
            assertThat(limit.isLoggable(record(Status.RESOURCE_EXHAUSTED))).isFalse();
        }
        assertThat(limit.isLoggable(record(Status.INTERNAL))).as("another kind").isTrue();
        assertThat(limit.isLoggable(new LogRecord(Level.WARNING, "no stack trace"))).isTrue();
        now[0] += 5_000_000_000L;
        LogRecord next = record(Status.RESOURCE_EXHAUSTED);
        assertThat(limit.isLoggable(next)).isTrue();
        assertThat(next.getMessage()).contains("[5 more like this since the last one were not logged");
        assertThat(limit.isLoggable(record(Status.RESOURCE_EXHAUSTED))).isFalse();
    }

    private static LogRecord record(Status status) {
        LogRecord r = new LogRecord(Level.WARNING, "Exception processing message");
        r.setLoggerName(DEFRAMER);
        r.setThrown(status.asRuntimeException());
        return r;
    }
}
