package dev.custody.ffi;

/** The plugin ABI's log levels: 0 Trace .. 4 Error, 5 Off. */
public enum LogLevel {
    /** The finest: step-by-step detail (wire number 0). */
    TRACE,
    /** Detail for debugging (1). */
    DEBUG,
    /** Normal operation (2). */
    INFO,
    /** Something unexpected that the plugin survived (3). */
    WARN,
    /** A failure (4); also any number past {@code OFF}. */
    ERROR,
    /** No logging (5). */
    OFF;

    private static final LogLevel[] BY_CODE = values();

    /**
     * The number on the wire.
     *
     * @return the number, 0 for {@code TRACE} to 5 for {@code OFF}
     */
    public int code() {
        return ordinal();
    }

    /**
     * The level for a wire number; a number past {@code OFF} is taken as {@link #ERROR}.
     *
     * @param code the number on the wire
     * @return the level
     */
    public static LogLevel of(int code) {
        return code >= 0 && code < OFF.ordinal() ? BY_CODE[code] : ERROR;
    }
}
