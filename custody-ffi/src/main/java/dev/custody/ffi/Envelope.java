package dev.custody.ffi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JSON transport's envelope, parsed with Jackson: {@code {"status":"success","payload":…}} or
 * {@code {"status":"error","error_code":N,"error_message":"…"}}, or, on the panic path, a plain
 * string with a non-zero buffer error code.
 *
 * <p>The success path streams: it finds the payload's byte range with the parser's locations and
 * returns those bytes exactly as the plugin wrote them, without building a tree and writing it
 * back out. The error path, which is rare, reads a tree.
 */
final class Envelope {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();
    /** The most of a plain-string error or a bad response that goes into an exception message. */
    private static final int MAX_SHOWN = 4096;

    private Envelope() {
    }

    /**
     * The payload's bytes.
     *
     * @param bytes the whole response, copied out of the plugin's buffer
     * @param bufferCode the buffer's {@code error_code}
     * @param typeTag the call's type tag, for messages
     * @throws PluginException for an error envelope or a non-zero buffer code
     * @throws FfiProtocolException if the response is neither an envelope nor, with a non-zero
     *     code, a plain string, or if it is an error envelope whose {@code error_code} is missing,
     *     not an integer, or not an ABI error code (1 to 13)
     */
    static byte[] payload(byte[] bytes, int bufferCode, String typeTag) {
        if (bufferCode != 0) {
            throw error(bytes, bufferCode, typeTag);
        }
        try (JsonParser p = FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw notEnvelope(bytes, typeTag, "it is not a JSON object");
            }
            String status = null;
            int start = -1;
            int end = -1;
            JsonToken t = p.nextToken();
            while (t == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                boolean payload = field.equals("payload");
                if (payload) {
                    start = (int) p.currentTokenLocation().getByteOffset();
                } else if (field.equals("status")) {
                    status = value == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
                t = p.nextToken(); // skips an unread string without decoding it
                if (payload) {
                    end = endBefore(bytes, (int) p.currentTokenLocation().getByteOffset());
                }
            }
            if (p.nextToken() != null) {
                throw notEnvelope(bytes, typeTag, "there is more after the envelope");
            }
            if ("success".equals(status) && start >= 0) {
                return Arrays.copyOfRange(bytes, start, end);
            }
            if ("error".equals(status)) {
                throw error(bytes, 0, typeTag);
            }
            throw notEnvelope(bytes, typeTag, "it has no \"status\":\"success\" with a \"payload\", and no"
                    + " \"status\":\"error\"");
        } catch (JsonProcessingException e) {
            throw notEnvelope(bytes, typeTag, "it is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The end of a value, from the start of the token after it: between them JSON allows only
     * whitespace and one comma, and the parser has already checked that.
     */
    private static int endBefore(byte[] bytes, int next) {
        int i = next;
        while (i > 0 && (bytes[i - 1] == ' ' || bytes[i - 1] == '\t' || bytes[i - 1] == '\n' || bytes[i - 1] == '\r'
                || bytes[i - 1] == ',')) {
            i--;
        }
        return i;
    }

    /** The exception for an error response: an error envelope, or a plain string (the panic path). */
    static RuntimeException error(byte[] bytes, int bufferCode, String typeTag) {
        JsonNode n = null;
        try {
            n = MAPPER.readTree(bytes);
        } catch (IOException e) {
            // not JSON: a plain string
        }
        if (n != null && n.isObject() && "error".equals(n.path("status").asText())) {
            JsonNode code = n.get("error_code");
            String defect = codeDefect(code);
            if (defect != null) {
                return notEnvelope(bytes, typeTag, "it is an error envelope whose error_code " + defect);
            }
            return new PluginException(code.intValue(), n.path("error_message").asText(""));
        }
        if (bufferCode != 0) {
            return new PluginException(bufferCode, shown(bytes));
        }
        return notEnvelope(bytes, typeTag, "it is not an envelope");
    }

    /** What is wrong with an error envelope's {@code error_code}, or null if it is an ABI error code. */
    private static String codeDefect(JsonNode code) {
        if (code == null) {
            return "is missing";
        }
        if (!code.isIntegralNumber()) {
            return "is " + (code.isTextual() ? "a string" : "not an integer") + " (" + code + ")";
        }
        ErrorCode c = code.canConvertToInt() ? ErrorCode.of(code.intValue()) : null;
        if (c == null || c == ErrorCode.OK) {
            return code + " not in 1.." + ErrorCode.TOO_MANY_REQUESTS.code();
        }
        return null;
    }

    /**
     * Checks that a plugin's config is JSON before it reaches the plugin.
     *
     * @throws IllegalArgumentException if it is not
     */
    static void requireJson(byte[] config) {
        try {
            MAPPER.readTree(config);
        } catch (IOException e) {
            throw new IllegalArgumentException("the plugin config is not valid JSON: " + e.getMessage()
                    + "; the plugin was not created", e);
        }
    }

    private static FfiProtocolException notEnvelope(byte[] bytes, String typeTag, String why) {
        return new FfiProtocolException(FfiErrors.function(false, typeTag, 0) + " returned a response that breaks the JSON transport: " + why
                + ". The buffer was sound and has been freed. Response: " + shown(bytes), null);
    }

    private static String shown(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, MAX_SHOWN), StandardCharsets.UTF_8);
        return bytes.length > MAX_SHOWN ? s + "... [" + (bytes.length - MAX_SHOWN) + " more bytes]" : s;
    }
}
