package dev.custody.agent.boot;

/**
 * Thrown in the agent's enforce mode when code outside the JDK frees, through
 * {@code sun.misc.Unsafe}, an address that custody knows the JVM's allocator does not own: one it
 * never handed out while the agent ran from the JVM's start, or one inside a live block. The free
 * does not reach the allocator, and the memory stays as it was.
 */
public final class WrongHeapException extends RuntimeException {
    /** The address whose free was refused. */
    private final long address;

    WrongHeapException(long address, String message) {
        super(message);
        this.address = address;
    }

    /**
     * The address whose free was refused.
     *
     * @return the address passed to {@code sun.misc.Unsafe.freeMemory}
     */
    public long address() {
        return address;
    }
}
