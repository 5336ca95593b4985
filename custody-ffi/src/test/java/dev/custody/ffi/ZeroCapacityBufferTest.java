package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sound buffer of capacity 0 with non-NULL data (the reference plugin's {@code empty} handler,
 * as from {@code malloc(0)}) reaches the plugin's free on every path: the plugin's own count of
 * live buffers proves it.
 */
class ZeroCapacityBufferTest {
    /** JUnit makes an instance per test: each test has its own plugin. */
    private final long liveBefore = ReferencePlugin.liveBuffers();
    private final NativePlugin plugin = NativePlugin.load(ReferencePlugin.path(), null, null);

    @AfterEach
    void close() {
        plugin.close();
    }

    private void everyBufferFreed() {
        assertThat(ReferencePlugin.liveBuffers()).as("plugin_live_buffers").isEqualTo(liveBefore);
        assertThat(ReferencePlugin.badFrees()).as("plugin_bad_frees").isZero();
        assertThat(plugin.outstandingBuffers()).isZero();
        assertThat(plugin.quarantinedCount()).as("a sound buffer is not quarantined").isZero();
    }

    @Test
    void anEmptyJsonReplyIsNotAnEnvelopeAndIsFreed() {
        assertThatThrownBy(() -> plugin.call("empty", "0")).isInstanceOf(FfiProtocolException.class)
                .hasMessageContaining("breaks the JSON transport").hasMessageContaining("has been freed")
                .satisfies(e -> assertThat(((FfiProtocolException) e).buffer()).isNull());
        everyBufferFreed();
    }

    @Test
    void anEmptyJsonReplyWithACodeIsAPluginErrorAndIsFreed() {
        assertThatThrownBy(() -> plugin.call("empty", "7")).isInstanceOfSatisfying(PluginException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.HANDLER));
        everyBufferFreed();
    }

    @Test
    void anEmptyRawReplyIsAnEmptyResultAndIsFreed() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ok = a.allocate(JAVA_INT);
            assertThat(plugin.callRaw(ReferencePlugin.EMPTY, ok)).isEmpty();
            assertThat(plugin.callRaw(ReferencePlugin.EMPTY, ok, MemorySegment::byteSize)).isZero();
            everyBufferFreed();
            MemorySegment failing = a.allocate(JAVA_INT);
            failing.set(JAVA_INT, 0, ErrorCode.TIMEOUT.code());
            assertThatThrownBy(() -> plugin.callRaw(ReferencePlugin.EMPTY, failing))
                    .isInstanceOfSatisfying(PluginException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TIMEOUT));
            everyBufferFreed();
        }
    }

    @Test
    void aReaderThatThrowsOnAnEmptyReplyStillFrees() {
        assertThatThrownBy(() -> plugin.callRaw(ReferencePlugin.EMPTY, MemorySegment.NULL, s -> {
            throw new IllegalArgumentException("reader failed");
        })).hasMessage("reader failed");
        everyBufferFreed();
    }
}
