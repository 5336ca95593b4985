package dev.custody.ffi;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The host's exceptions and reports, built only on the failure path. */
final class FfiErrors {
    private FfiErrors() {
    }

    /** The call, for messages: {@code plugin_call("echo")} or {@code plugin_call_raw(7)}. */
    static String function(boolean raw, String typeTag, int messageId) {
        return raw ? "plugin_call_raw(" + Integer.toUnsignedString(messageId) + ")" : "plugin_call(\"" + typeTag + "\")";
    }

    static IllegalStateException closed(String plugin) {
        return new IllegalStateException("plugin '" + plugin + "' is closed: close() was called, and no new call is"
                + " accepted; calls already in flight complete, and the last of them shuts the plugin down");
    }

    static PluginException createFailed(String plugin) {
        return new PluginException(ErrorCode.INITIALIZATION_FAILED.code(), "plugin_create returned NULL",
                "plugin '" + plugin + "': plugin_create returned NULL; nothing was created");
    }

    static PluginException initFailed(String plugin, long object, long orphans) {
        return new PluginException(ErrorCode.INITIALIZATION_FAILED.code(), "plugin_init returned NULL",
                "plugin '" + plugin + "': plugin_init returned NULL (the plugin rejected its config or failed to"
                        + " start; see its log). The object plugin_create made at 0x" + Long.toHexString(object)
                        + " is orphaned, because the ABI has no destroy: " + orphans
                        + " orphaned by this library so far");
    }

    /** A binary response's error: its data is a message, NUL-terminated as rustbridge writes it. */
    static PluginException rawError(int code, byte[] message) {
        int n = message.length;
        while (n > 0 && message[n - 1] == 0) {
            n--;
        }
        return new PluginException(code, new String(message, 0, n, StandardCharsets.UTF_8));
    }

    static String quarantineReport(String plugin, long count, List<QuarantinedBuffer> kept) {
        StringBuilder b = new StringBuilder("plugin '" + plugin + "' returned " + count
                + " malformed buffers; they were quarantined and never freed (freeing them is undefined behaviour):");
        kept.forEach(q -> b.append("\n  ").append(q));
        if (count > kept.size()) {
            b.append("\n  ... and ").append(count - kept.size()).append(" more");
        }
        return b.toString();
    }
}
