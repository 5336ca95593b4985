package dev.custody;

/**
 * One leaked block, as listed by {@link LeakException} and {@link LeakListener}.
 *
 * @param heap the owning heap's name
 * @param tag the block's tag
 * @param size the block's size in bytes
 * @param address the native address
 * @param site the allocation site, or null when it was not tracked
 */
public record Leak(String heap, Tag tag, long size, long address, Site site) {
    /** What {@link #where()} says of a block whose allocation site was not tracked. */
    public static final String NOT_TRACKED = "(allocation site not tracked)";

    /**
     * Where the block was allocated.
     *
     * @return the allocation's caller frame, or {@value #NOT_TRACKED}
     */
    public String where() {
        return site == null ? NOT_TRACKED : site.caller();
    }

    /**
     * One line: size, tag, heap, address and where it was allocated, or {@value #NOT_TRACKED}.
     * Reports with untracked leaks add {@link Tracking#UNTRACKED_HINT} once.
     */
    @Override
    public String toString() {
        return size + " B tagged '" + tag + "' on heap '" + heap + "' at 0x" + Long.toHexString(address)
                + (site == null ? " " + NOT_TRACKED : ", allocated at " + site.caller() + " on thread '"
                        + site.thread() + "'");
    }
}
