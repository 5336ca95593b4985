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
    /** The allocation caller frame, or {@code "(site not tracked)"}. */
    public String where() {
        return site == null ? "(site not tracked)" : site.caller();
    }

    @Override
    public String toString() {
        return size + " B tagged '" + tag + "' on heap '" + heap + "' at 0x" + Long.toHexString(address)
                + ", allocated " + (site == null ? "(site not tracked)" : site.toString());
    }
}
