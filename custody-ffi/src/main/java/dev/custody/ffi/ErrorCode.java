package dev.custody.ffi;

/**
 * The plugin ABI's error codes, carried in {@code FfiBuffer.error_code}, {@code
 * RbResponse.error_code} and the error envelope's {@code error_code}.
 */
public enum ErrorCode {
    /** No error. Wire number 0. */
    OK(0),
    /** The call does not fit the plugin's state (such as a call before its start). Wire number 1. */
    INVALID_STATE(1),
    /** The plugin could not start. Wire number 2. */
    INITIALIZATION_FAILED(2),
    /** The plugin could not shut down cleanly. Wire number 3. */
    SHUTDOWN_FAILED(3),
    /** The configuration was refused. Wire number 4. */
    CONFIG(4),
    /** A request or response could not be encoded or decoded. Wire number 5. */
    SERIALIZATION(5),
    /** The plugin has no handler for the request's type. Wire number 6. */
    UNKNOWN_MESSAGE_TYPE(6),
    /** The handler of the request failed. Wire number 7. */
    HANDLER(7),
    /** The plugin's runtime failed. Wire number 8. */
    RUNTIME(8),
    /** The call was cancelled. Wire number 9. */
    CANCELLED(9),
    /** The call ran out of time. Wire number 10. */
    TIMEOUT(10),
    /** A panic the plugin caught; its message often comes as a plain string, not an envelope. */
    INTERNAL(11),
    /** The call could not cross the boundary (a bad pointer, length or buffer). Wire number 12. */
    FFI(12),
    /** The plugin refused the call as over its limit of concurrent requests. Wire number 13. */
    TOO_MANY_REQUESTS(13);

    private static final ErrorCode[] BY_CODE = values();

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /**
     * The number on the wire.
     *
     * @return the number
     */
    public int code() {
        return code;
    }

    /**
     * The constant for a wire number.
     *
     * @param code the number on the wire
     * @return the constant, or null if the ABI does not define it
     */
    public static ErrorCode of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
