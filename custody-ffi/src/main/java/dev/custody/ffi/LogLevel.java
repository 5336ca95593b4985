package dev.custody.ffi;

/** The plugin ABI's log levels: 0 Trace .. 4 Error, 5 Off. */
public enum LogLevel {
    TRACE, DEBUG, INFO, WARN, ERROR, OFF;

    private static final LogLevel[] BY_CODE = values();

    /** The number on the wire. */
    public int code() {
        return ordinal();
    }

    /** The level for a wire number; a number past {@code OFF} is taken as {@link #ERROR}. */
    public static LogLevel of(int code) {
        return code >= 0 && code < OFF.ordinal() ? BY_CODE[code] : ERROR;
    }
}
