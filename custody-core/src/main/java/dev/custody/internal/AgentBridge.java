package dev.custody.internal;

import java.util.function.LongFunction;

/**
 * Tells a custody agent on the bootstrap class path, when there is one, which of this custody's
 * heaps holds an address: its enforce mode refuses a free through {@code sun.misc.Unsafe} of a
 * block a custody heap owns. Without the agent this does nothing.
 */
final class AgentBridge {
    private static final String HOOKS = "dev.custody.agent.boot.Hooks";

    private AgentBridge() {
    }

    static void connect() {
        try {
            Class<?> hooks = Class.forName(HOOKS, false, null);
            hooks.getMethod("custodyHeaps", LongFunction.class).invoke(null, (LongFunction<String>) AgentBridge::heapOf);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // no agent, or an older one: nothing to tell
        }
    }

    /** The name of the heap whose live block holds {@code address}, or null. */
    private static String heapOf(long address) {
        BlockImpl b = Registry.holder(address);
        return b == null ? null : b.heap().name();
    }
}
