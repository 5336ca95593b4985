package dev.custody.ffi;

/**
 * The plugin ABI's error codes, carried in {@code FfiBuffer.error_code}, {@code
 * RbResponse.error_code} and the error envelope's {@code error_code}.
 */
public enum ErrorCode {
    OK(0),
    INVALID_STATE(1),
    INITIALIZATION_FAILED(2),
    SHUTDOWN_FAILED(3),
    CONFIG(4),
    SERIALIZATION(5),
    UNKNOWN_MESSAGE_TYPE(6),
    HANDLER(7),
    RUNTIME(8),
    CANCELLED(9),
    TIMEOUT(10),
    /** A panic the plugin caught; its message often comes as a plain string, not an envelope. */
    INTERNAL(11),
    FFI(12),
    TOO_MANY_REQUESTS(13);

    private static final ErrorCode[] BY_CODE = values();

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The constant for a wire number, or null if the ABI does not define it. */
    public static ErrorCode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
