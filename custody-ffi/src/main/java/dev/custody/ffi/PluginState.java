package dev.custody.ffi;

/** A plugin's life-cycle state, as {@code plugin_get_state} reports it. */
public enum PluginState {
    /** Loaded, not started (wire number 0). */
    INSTALLED(0),
    /** Starting (wire number 1). */
    STARTING(1),
    /** Started, taking calls (wire number 2). */
    ACTIVE(2),
    /** Shutting down (wire number 3). */
    STOPPING(3),
    /** Shut down (wire number 4). */
    STOPPED(4),
    /** Failed to start or while running (wire number 5). */
    FAILED(5),
    /** The plugin does not know the handle ({@code plugin_get_state} returned 255). */
    INVALID(255);

    private final int code;

    PluginState(int code) {
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
     * The state for a wire number; any number the ABI does not define is {@link #INVALID}.
     *
     * @param code the number on the wire
     * @return the state
     */
    public static PluginState of(int code) {
        for (PluginState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return INVALID;
    }
}
