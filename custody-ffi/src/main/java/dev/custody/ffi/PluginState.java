package dev.custody.ffi;

/** A plugin's life-cycle state, as {@code plugin_get_state} reports it. */
public enum PluginState {
    INSTALLED(0),
    STARTING(1),
    ACTIVE(2),
    STOPPING(3),
    STOPPED(4),
    FAILED(5),
    /** The plugin does not know the handle ({@code plugin_get_state} returned 255). */
    INVALID(255);

    private final int code;

    PluginState(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The state for a wire number; any number the ABI does not define is {@link #INVALID}. */
    public static PluginState of(int code) {
        for (PluginState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return INVALID;
    }
}
