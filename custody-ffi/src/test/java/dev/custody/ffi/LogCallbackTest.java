package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Log records from the plugin's own threads, and sinks that throw. */
class LogCallbackTest {

    @Test
    void recordsArriveFromThePluginsOwnThread() {
        RecordingSink sink = new RecordingSink();
        try (NativePlugin p = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.DEBUG), sink)) {
            assertThat(p.call("sleep", "1")).isEqualTo("1");
            var worker = sink.containing("worker thread sleeping 1 ms");
            assertThat(worker).hasSize(1);
            RecordingSink.Entry e = worker.getFirst();
            assertThat(e.thread()).as("a foreign thread, attached by the JVM").isNotSameAs(Thread.currentThread());
            assertThat(e.level()).isEqualTo(LogLevel.INFO);
            assertThat(e.target()).isEqualTo("custody_refplugin");
            assertThat(sink.containing("worker thread woke")).extracting(RecordingSink.Entry::level)
                    .containsExactly(LogLevel.DEBUG);
            p.setLogLevel(LogLevel.WARN);
            p.call("sleep", "1");
            assertThat(sink.containing("worker thread sleeping")).as("INFO is below WARN now").hasSize(1);
        }
    }

    @Test
    void aThrowingSinkNeverReachesNativeCode() {
        AtomicLong seen = new AtomicLong();
        LogSink throwing = (level, target, message) -> {
            seen.incrementAndGet();
            throw new IllegalStateException("sink failed on purpose");
        };
        try (NativePlugin p = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.DEBUG), throwing)) {
            long failures = p.logSinkFailures();
            for (int i = 0; i < 20; i++) {
                assertThat(p.call("sleep", "0")).isEqualTo("0");
            }
            assertThat(seen.get()).isGreaterThanOrEqualTo(40);
            assertThat(p.logSinkFailures() - failures).isGreaterThanOrEqualTo(40);
            assertThat(p.lastLogSinkFailure()).hasMessage("sink failed on purpose");
            assertThat(p.state()).isEqualTo(PluginState.ACTIVE);
        }
    }

    /**
     * A record that arrives after the plugin was shut down (rustbridge's callback is process-wide)
     * finds its upcall stub alive: it is dropped and counted, and nothing crashes.
     */
    @Test
    void aRecordAfterShutdownFindsTheStubAliveAndIsDropped() throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        NativePlugin p = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.INFO), sink);
        long dropped = p.logRecordsDropped();
        assertThat(p.call("late_log", "100")).isEqualTo("100");
        p.close();
        assertThat(p.state()).isEqualTo(PluginState.STOPPED);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (p.logRecordsDropped() == dropped && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(p.logRecordsDropped()).as("the late record, dropped: no plugin of the library is open")
                .isEqualTo(dropped + 1);
        assertThat(sink.containing("late log record")).as("not delivered to a closed plugin's sink").isEmpty();
    }
}
