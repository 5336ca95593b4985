package dev.custody.ffi;

/**
 * Receives a plugin's log records.
 *
 * <p>Called from whatever thread the plugin logs on, including threads the plugin started itself,
 * and possibly from several at once: implementations must be thread-safe. An exception or error
 * thrown here never reaches native code, a call or {@link NativePlugin#close()}: the host catches it
 * and counts it ({@link NativePlugin#logSinkFailures()}).
 *
 * <p>The ABI's callback carries no handle: a record from a thread the plugin started itself may
 * reach the sink of another open plugin of the same library (see {@link NativePlugin}, "Log
 * records").
 */
@FunctionalInterface
public interface LogSink {
    /** A sink that drops every record. */
    LogSink NONE = (level, target, message) -> { };

    /**
     * One record.
     *
     * @param level the record's level (a wire number past {@code OFF} arrives as {@code ERROR})
     * @param target the plugin's target, such as a module path; empty if the plugin gave NULL
     * @param message the message, decoded as UTF-8
     */
    void log(LogLevel level, String target, String message);
}
