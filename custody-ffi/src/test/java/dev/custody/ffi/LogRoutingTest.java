package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Records logged on a thread inside a plugin's call go to that plugin's sink, not to another open
 * plugin of the same library.
 */
class LogRoutingTest {

    @Test
    void aPluginsShutdownRecordGoesToItsOwnSink() {
        RecordingSink first = new RecordingSink();
        RecordingSink second = new RecordingSink();
        NativePlugin a = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.INFO), first);
        try (NativePlugin b = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.INFO), second)) {
            assertThat(first.containing("active")).hasSize(1);
            assertThat(second.containing("active")).hasSize(1);
            a.close(); // plugin_shutdown logs on this thread, while b is the newest open plugin
            assertThat(first.containing("shutting down")).hasSize(1);
            assertThat(second.containing("shutting down")).as("not the closed plugin's record").isEmpty();
            assertThat(b.call("echo", "1")).isEqualTo("1");
        }
        assertThat(second.containing("shutting down")).hasSize(1);
        assertThat(first.containing("shutting down")).hasSize(1);
    }
}
