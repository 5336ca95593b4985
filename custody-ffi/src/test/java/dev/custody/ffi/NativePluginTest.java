package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host against the reference plugin: calls, errors, states, custody of every buffer. */
class NativePluginTest {
    private NativePlugin plugin;
    private long liveBefore;

    @BeforeEach
    void load() {
        liveBefore = ReferencePlugin.liveBuffers();
        plugin = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.INFO), null);
    }

    /** Every test ends with nothing outstanding, on custody's books and on the plugin's own count. */
    @AfterEach
    void nothingOutstanding() {
        plugin.close();
        assertThat(plugin.outstandingBuffers()).isZero();
        assertThat(ReferencePlugin.liveBuffers()).as("plugin_live_buffers").isEqualTo(liveBefore);
        assertThat(ReferencePlugin.badFrees()).as("plugin_bad_frees").isZero();
        assertThat(plugin.heap().stats().total().liveBlocks()).as("plugin heap live blocks").isZero();
    }

    @Test
    void echoReverseAndBigRoundTrip() {
        assertThat(plugin.call("echo", "{\"a\":[1,2,3]}")).isEqualTo("{\"a\":[1,2,3]}");
        assertThat(plugin.call("reverse", "\"abc\"")).isEqualTo("\"cba\"");
        assertThat(plugin.call("big", "100000")).hasSize(100_002).startsWith("\"xxx").endsWith("x\"");
        assertThat(plugin.call("echo", "\"héllo ✓\"".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("\"héllo ✓\"".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyBufferIsABlockOfTheHeapNamedAfterThePlugin() {
        long allocations = plugin.heap().stats().total().allocations();
        long frees = plugin.heap().stats().total().frees();
        plugin.call("echo", "1");
        plugin.callRaw(ReferencePlugin.ECHO, MemorySegment.ofArray(new byte[]{1, 2, 3}));
        assertThat(plugin.heap().name()).isEqualTo("custody_refplugin");
        assertThat(plugin.heap().stats().total().allocations() - allocations).isEqualTo(2);
        assertThat(plugin.heap().stats().total().frees() - frees).isEqualTo(2);
        assertThat(plugin.heap().stats().tag(PluginLibrary.RESPONSE).allocations()).isPositive();
    }

    @Test
    void theHeapOnlyTakesWhatThePluginReturns() {
        assertThatThrownBy(() -> plugin.heap().allocate(16)).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("custody_refplugin");
    }

    @ParameterizedTest
    @EnumSource(value = ErrorCode.class, names = "OK", mode = EnumSource.Mode.EXCLUDE)
    void everyErrorCodeComesBackAsAPluginException(ErrorCode code) {
        assertThatThrownBy(() -> plugin.call("fail", String.valueOf(code.code())))
                .isInstanceOfSatisfying(PluginException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(code);
                    assertThat(e.pluginMessage()).isEqualTo("requested failure with code " + code.code());
                });
        try (Arena a = Arena.ofConfined()) {
            MemorySegment req = a.allocate(JAVA_INT);
            req.set(JAVA_INT, 0, code.code());
            assertThatThrownBy(() -> plugin.callRaw(ReferencePlugin.FAIL, req))
                    .isInstanceOfSatisfying(PluginException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(code);
                        assertThat(e.pluginMessage()).isEqualTo("requested failure with code " + code.code());
                    });
        }
    }

    @Test
    void thePanicPathIsAPlainString() {
        assertThatThrownBy(() -> plugin.call("panic", "null"))
                .isInstanceOfSatisfying(PluginException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(e.pluginMessage()).startsWith("panic in handler 'panic'");
                });
    }

    @Test
    void unknownMessagesAreErrorsOfTheirOwnCode() {
        assertThatThrownBy(() -> plugin.call("nope", "1")).isInstanceOfSatisfying(PluginException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE));
        assertThatThrownBy(() -> plugin.callRaw(99, MemorySegment.NULL)).isInstanceOfSatisfying(PluginException.class,
                e -> assertThat(e.pluginMessage()).isEqualTo("unknown message id 99"));
        assertThatThrownBy(() -> plugin.call("reverse", "[1]")).isInstanceOfSatisfying(PluginException.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.SERIALIZATION));
    }

    @Test
    void callRawCopiesOrReadsInPlaceAndAlwaysFrees() {
        byte[] bytes = new byte[1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        assertThat(plugin.callRaw(ReferencePlugin.ECHO, MemorySegment.ofArray(bytes))).isEqualTo(bytes);
        long sum = plugin.callRaw(ReferencePlugin.ECHO, MemorySegment.ofArray(bytes), s -> {
            assertThat(plugin.outstandingBuffers()).as("adopted while read").isEqualTo(1);
            assertThat(s.isReadOnly()).isTrue();
            long t = 0;
            for (long i = 0; i < s.byteSize(); i++) {
                t += s.get(JAVA_BYTE, i);
            }
            return t;
        });
        long expected = 0;
        for (byte b : bytes) {
            expected += b;
        }
        assertThat(sum).isEqualTo(expected);
        assertThat(plugin.callRaw(ReferencePlugin.ECHO, MemorySegment.NULL)).isEmpty();
    }

    @Test
    void aReaderThatThrowsStillFreesAndAKeptSegmentIsDead() {
        AtomicReference<MemorySegment> kept = new AtomicReference<>();
        assertThatThrownBy(() -> plugin.callRaw(ReferencePlugin.ECHO, MemorySegment.ofArray(new byte[64]), s -> {
            kept.set(s);
            throw new IllegalArgumentException("reader failed");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("reader failed");
        assertThat(plugin.outstandingBuffers()).isZero();
        assertThatThrownBy(() -> kept.get().get(JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stateFollowsTheLifeCycle() {
        assertThat(plugin.state()).isEqualTo(PluginState.ACTIVE);
        plugin.setLogLevel(LogLevel.ERROR);
        plugin.close();
        assertThat(plugin.state()).isEqualTo(PluginState.STOPPED);
        plugin.close(); // idempotent
        assertThat(plugin.state()).isEqualTo(PluginState.STOPPED);
    }

    @Test
    void aClosedPluginRefusesCallsClearly() {
        plugin.close();
        assertThatThrownBy(() -> plugin.call("echo", "1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugin 'custody_refplugin' is closed");
        assertThatThrownBy(() -> plugin.callRaw(1, MemorySegment.NULL)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> plugin.setLogLevel(LogLevel.INFO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNullPluginInitIsAClearErrorAndTheOrphanIsCounted() {
        long orphans = NativePlugin.orphanedObjects();
        long objects = ReferencePlugin.liveObjects();
        RecordingSink sink = new RecordingSink();
        assertThatThrownBy(() -> NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.failingInitConfig(), sink))
                .isInstanceOfSatisfying(PluginException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INITIALIZATION_FAILED);
                    assertThat(e).hasMessageContaining("plugin_init returned NULL").hasMessageContaining("orphaned");
                });
        assertThat(NativePlugin.orphanedObjects()).isEqualTo(orphans + 1);
        assertThat(ReferencePlugin.liveObjects()).as("the plugin's own count: the orphan is still there")
                .isEqualTo(objects + 1);
        assertThat(sink.containing("plugin_init failed")).hasSize(1);
    }

    @Test
    void badLoadsAreRefusedBeforeAnythingIsCreated() {
        long objects = ReferencePlugin.liveObjects();
        assertThatThrownBy(() -> NativePlugin.load(ReferencePlugin.path(), "{oops".getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> NativePlugin.load(Path.of("/nonexistent/libnope.so"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> NativePlugin.load(Path.of("/usr/lib/x86_64-linux-gnu/libm.so.6"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not export 'plugin_free_buffer'");
        assertThat(ReferencePlugin.liveObjects()).isEqualTo(objects);
        assertThatThrownBy(() -> plugin.call("ec\0ho", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
