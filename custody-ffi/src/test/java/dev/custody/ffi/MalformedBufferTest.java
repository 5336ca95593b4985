package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin that returns malformed buffers: each gets FfiProtocolException, is never read, never
 * passed to the plugin's free (the plugin's own counters prove it), and is quarantined and reported.
 */
class MalformedBufferTest {

    @ParameterizedTest
    @CsvSource({
            "len_over_capacity, greater than the capacity, 1",
            "null_data, NULL data with a length of, 0",
            "absurd_len, absurd length, 1"})
    void malformedBuffersAreQuarantinedNotFreed(String defect, String reported, int allocatesPerCall) {
        long live = ReferencePlugin.liveBuffers();
        RecordingSink sink = new RecordingSink();
        NativePlugin p = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.malformedConfig(defect), sink);
        try {
            assertThatThrownBy(() -> p.call("echo", "\"hello\""))
                    .isInstanceOfSatisfying(FfiProtocolException.class, e -> {
                        assertThat(e.buffer().structName()).isEqualTo("FfiBuffer");
                        assertThat(e.buffer().function()).isEqualTo("plugin_call(\"echo\")");
                        assertThat(e).hasMessageContaining(reported).hasMessageContaining("quarantined")
                                .hasMessageContaining("not passed to plugin_free_buffer");
                    });
            assertThatThrownBy(() -> p.callRaw(ReferencePlugin.ECHO, MemorySegment.ofArray(new byte[8])))
                    .isInstanceOfSatisfying(FfiProtocolException.class, e -> {
                        assertThat(e.buffer().structName()).isEqualTo("RbResponse");
                        assertThat(e).hasMessageContaining(reported).hasMessageContaining("not passed to rb_response_free");
                    });
            assertThatThrownBy(() -> p.call("fail", "7")).as("an error response, malformed too")
                    .isInstanceOf(FfiProtocolException.class);
            assertThat(p.quarantinedCount()).isEqualTo(3);
            assertThat(p.quarantinedBuffers()).hasSize(3).allSatisfy(q -> assertThat(q.defect()).contains(reported));
            assertThat(p.outstandingBuffers()).isZero();
        } finally {
            p.close();
        }
        assertThat(ReferencePlugin.badFrees()).as("nothing malformed reached the plugin's free").isZero();
        assertThat(ReferencePlugin.liveBuffers() - live).as("the quarantined buffers stay live in the plugin")
                .isEqualTo(3L * allocatesPerCall);
        assertThat(sink.containing("quarantined and never freed")).as("reported at shutdown").hasSize(1);
    }
}
