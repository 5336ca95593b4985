package dev.custody.ffi;

import org.junit.jupiter.params.ParameterizedTest;
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

    @Test
    void aConfigMustBeJson() {
        assertThatThrownBy(() -> Envelope.requireJson(utf8("{log_level: 2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
    }
}
