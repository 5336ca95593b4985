package dev.custody.debug;

/**
 * Hears every corruption a debug heap finds, on the thread that found it: the thread that freed
 * the block (an overrun), or the thread whose free pushed a freed block out of the quarantine (a
 * write after free, detected long after the writer). A listener must not throw; whatever it
 * throws is ignored.
 *
 * <p>Whatever the listener, the heap keeps the report in {@link DebugHeap#corruptions()}, emits
 * a JFR {@code dev.custody.Misuse} event, and {@link DebugHeap#verify()} and {@link
 * DebugHeap#close()} throw {@link HeapCorruptionException}.
 */
@FunctionalInterface
public interface CorruptionListener {
    /**
     * Told of one corruption as it is found.
     *
     * @param corruption what was found
     */
    void corrupted(Corruption corruption);

    /**
     * The default: a warning with the full report on standard error.
     *
     * @return the listener
     */
    static CorruptionListener warning() {
        return c -> System.err.println("WARNING: custody: " + c.message());
    }
}
