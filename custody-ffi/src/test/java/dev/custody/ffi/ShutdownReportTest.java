package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shutdown's quarantine report goes to the plugin's sink; whatever the sink throws there,
 * the shutdown completes, the sink is detached, and the failure is counted.
 */
class ShutdownReportTest {
    private static final String REPORT = "quarantined and never freed";

    /** Thrown by a sink on the report. */
    private static final class SinkError extends Error {
        SinkError() {
            super("sink failed on the report");
        }
    }

    /** Records every record, and throws {@code failure} on the quarantine report. */
    private static final class FailingSink implements LogSink {
        final RecordingSink records = new RecordingSink();
        private final Throwable failure;

        FailingSink(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public void log(LogLevel level, String target, String message) {
            records.log(level, target, message);
            if (message.contains(REPORT)) {
                sneakyThrow(failure);
            }
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
            throw (T) t;
        }
    }

    /** A plugin whose every response is malformed, with one quarantined already. */
    private static NativePlugin quarantining(LogSink sink) {
        NativePlugin p = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.malformedConfig("null_data"), sink);
        assertThatThrownBy(() -> p.call("echo", "1")).isInstanceOf(FfiProtocolException.class);
        return p;
    }

    @Test
    void anErrorFromTheSinkDoesNotEscapeCloseAndTheSinkIsDetached() {
        RecordingSink other = new RecordingSink();
        try (NativePlugin older = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.DEBUG), other)) {
            FailingSink sink = new FailingSink(new SinkError());
            NativePlugin p = quarantining(sink);
            long failures = p.logSinkFailures();
            p.close();
            assertThat(p.state()).isEqualTo(PluginState.STOPPED);
            assertThat(p.logSinkFailures()).isEqualTo(failures + 1);
            assertThat(p.lastLogSinkFailure()).isInstanceOf(SinkError.class);
            assertThat(sink.records.containing(REPORT)).hasSize(1);
            // Records of the plugin's own threads go to the newest open plugin: the closed one's
            // sink would be it had it stayed attached.
            older.call("sleep", "1");
            assertThat(other.containing("worker thread sleeping")).hasSize(1);
            assertThat(sink.records.containing("worker thread")).isEmpty();
        }
    }

    @Test
    void aRuntimeExceptionFromTheSinkIsCounted() {
        IllegalStateException failure = new IllegalStateException("sink failed on the report");
        NativePlugin p = quarantining(new FailingSink(failure));
        long failures = p.logSinkFailures();
        p.close();
        assertThat(p.state()).isEqualTo(PluginState.STOPPED);
        assertThat(p.logSinkFailures()).isEqualTo(failures + 1);
        assertThat(p.lastLogSinkFailure()).isSameAs(failure);
    }

    @Test
    void theCallInFlightThatShutsDownKeepsItsOwnAnswer() throws Exception {
        NativePlugin p = quarantining(new FailingSink(new SinkError()));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                p.call("sleep", "300");
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (p.callsInFlight() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        p.close(); // the call in flight runs the shutdown as it returns
        t.join(10_000);
        assertThat(outcome.get(10, TimeUnit.SECONDS)).as("its own answer: the malformed reply, not the sink's error")
                .isInstanceOf(FfiProtocolException.class);
        assertThat(p.state()).isEqualTo(PluginState.STOPPED);
        assertThat(p.lastLogSinkFailure()).isInstanceOf(SinkError.class);
    }
}
