package dev.custody.ffi;

/**
 * The plugin answered a call with an error: an error envelope, a non-zero error code, or the plain
 * string of a caught panic. The response buffer has been freed through the plugin's own free
 * function before this is thrown.
 */
public class PluginException extends RuntimeException {
    /** The error code, as the plugin sent it. */
    private final int code;
    /** The plugin's own message. */
    private final String pluginMessage;

    /**
     * An error the plugin reported, with a message that names the code.
     *
     * @param code the error code, as the plugin sent it
     * @param pluginMessage the plugin's message
     */
    public PluginException(int code, String pluginMessage) {
        this(code, pluginMessage, describe(code, pluginMessage));
    }

    PluginException(int code, String pluginMessage, String message) {
        super(message);
        this.code = code;
        this.pluginMessage = pluginMessage;
    }

    /**
     * The error code as the plugin sent it.
     *
     * @return the code
     */
    public int code() {
        return code;
    }

    /**
     * The code as a constant, or null if the ABI does not define the number.
     *
     * @return the constant, or null
     */
    public ErrorCode errorCode() {
        return ErrorCode.of(code);
    }

    /**
     * The plugin's own message, without the host's context.
     *
     * @return the message
     */
    public String pluginMessage() {
        return pluginMessage;
    }

    private static String describe(int code, String message) {
        ErrorCode c = ErrorCode.of(code);
        return "plugin error " + code + " (" + (c == null ? "not an ABI code" : c) + "): " + message;
    }
}
