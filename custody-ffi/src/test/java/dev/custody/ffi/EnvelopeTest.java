package dev.custody.ffi;

import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String payload(String envelope) {
        return new String(Envelope.payload(utf8(envelope), 0, "test"), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"text with \\\" and }\"", "42", "-3.5e7", "true", "false", "null", "{\"a\":[1,{\"b\":\"}\"}]}",
            "[1,2,[3]]", "{}", "[]", "\"\"", "\"héllo ✓\""})
    void thePayloadIsReturnedByteForByte(String value) {
        assertThat(payload("{\"status\":\"success\",\"payload\":" + value + "}")).isEqualTo(value);
        assertThat(payload("{ \"payload\" : " + value + " , \"status\" : \"success\" , \"extra\":{\"x\":1} }"))
                .as("any field order, whitespace, extra fields").isEqualTo(value);
    }

    @Test
    void anErrorEnvelopeIsAPluginException() {
        assertThatThrownBy(() -> Envelope.payload(utf8("{\"status\":\"error\",\"error_code\":7,\"error_message\":\"boom\"}"),
                0, "test"))
                .isInstanceOfSatisfying(PluginException.class, e -> {
                    assertThat(e.code()).isEqualTo(7);
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.HANDLER);
                    assertThat(e.pluginMessage()).isEqualTo("boom");
                });
    }

    @Test
    void aPlainStringWithACodeIsThePanicPath() {
        assertThatThrownBy(() -> Envelope.payload(utf8("thread panicked at src/lib.rs:3"), 11, "test"))
                .isInstanceOfSatisfying(PluginException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(e.pluginMessage()).isEqualTo("thread panicked at src/lib.rs:3");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "{\"status\":\"success\"}", "{\"status\":\"maybe\",\"payload\":1}",
            "{\"status\":\"success\",\"payload\":1} trailing", "{\"status\":\"error\",\"error_code\":0}", "",
            "{\"status\":\"success\",\"payload\":"})
    void anythingElseIsAProtocolError(String response) {
        assertThatThrownBy(() -> Envelope.payload(utf8(response), 0, "x"))
                .isInstanceOf(FfiProtocolException.class)
                .hasMessageContaining("plugin_call(\"x\")")
                .hasMessageContaining("breaks the JSON transport");
    }

    /** A bad error code is a protocol error naming the defect, whatever the buffer's own code. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"status\":\"error\",\"error_message\":\"boom\"}                    | error_code is missing",
            "{\"status\":\"error\",\"error_code\":\"7\",\"error_message\":\"boom\"}  | error_code is a string (\"7\")",
            "{\"status\":\"error\",\"error_code\":300,\"error_message\":\"boom\"}    | error_code 300 not in 1..13",
            "{\"status\":\"error\",\"error_code\":-1}                             | error_code -1 not in 1..13",
            "{\"status\":\"error\",\"error_code\":7.5}                            | error_code is not an integer (7.5)",
            "{\"status\":\"error\",\"error_code\":4294967303}                     | error_code 4294967303 not in 1..13"})
    void anErrorEnvelopeWithABadCodeNamesTheDefect(String envelope, String defect) {
        for (int bufferCode : new int[]{0, 7}) {
            assertThatThrownBy(() -> Envelope.payload(utf8(envelope), bufferCode, "x"))
                    .isInstanceOf(FfiProtocolException.class)
                    .hasMessageContaining("it is an error envelope whose " + defect)
                    .hasMessageContaining("has been freed");
        }
    }

    /** Through the reference plugin, whose {@code verbatim} handler returns the request as the response. */
    @Test
    void theBufferOfABadErrorEnvelopeIsFreed() {
        long live = ReferencePlugin.liveBuffers();
        try (NativePlugin p = NativePlugin.load(ReferencePlugin.path(), null, null)) {
            assertThatThrownBy(() -> p.call("verbatim", "{\"status\":\"error\",\"error_code\":300}"))
                    .isInstanceOf(FfiProtocolException.class).hasMessageContaining("300 not in 1..13");
            assertThat(p.quarantinedCount()).isZero();
        }
        assertThat(ReferencePlugin.liveBuffers()).isEqualTo(live);
        assertThat(ReferencePlugin.badFrees()).isZero();
    }

    @Test
    void aConfigMustBeJson() {
        assertThatThrownBy(() -> Envelope.requireJson(utf8("{log_level: 2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }
}
