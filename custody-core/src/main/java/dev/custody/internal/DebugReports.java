package dev.custody.internal;

import dev.custody.DoubleFreeException;
import dev.custody.Site;
import dev.custody.debug.Corruption;
import dev.custody.debug.HeapCorruptionException;

/** Builds the debug heaps' reports and exceptions, only on the failure path, each also a JFR Misuse event. */
final class DebugReports {
    private DebugReports() {
    }

    /**
     * A corruption of {@code b}: {@code offset} is the first changed byte relative to the block's
     * address; {@code freedBy} the freeing thread, or null if the block was being freed right now.
     */
    static Corruption corruption(Corruption.Kind kind, BlockImpl b, long offset, String freedBy) {
        String what = switch (kind) {
            case UNDERRUN -> "buffer underrun: the canary before the " + Errors.describe(b) + " changed at byte "
                    + offset + " (" + -offset + " B before its start), found at its free";
            case OVERRUN -> "buffer overrun: the canary after the " + Errors.describe(b) + " changed at byte "
                    + offset + " (" + (offset - b.size) + " B past its end), found " + (freedBy == null
                    ? "at its free" : "as it left the quarantine");
            case WRITE_AFTER_FREE -> "write after free: byte " + offset + " of the freed " + Errors.describe(b)
                    + " no longer holds the poison, found as it left the quarantine";
        };
        String free = freedBy == null ? "" : "; freed on thread '" + freedBy + "'";
        Site freeSite = b.history == null ? null : b.history.last("free");
        String message = what + free + "." + (freeSite == null ? "" : "\n  freed: " + freeSite.describe())
                + Errors.allocatedAt(b);
        MisuseEvent.emit(HeapCorruptionException.class.getSimpleName(), b.heap.name(), message);
        return new Corruption(kind, b.heap.name(), b.tag, b.size, b.address, offset, freedBy, Errors.sites(b), message);
    }

    /** A raw-address free of an address the quarantine holds. */
    static DoubleFreeException rawDoubleFree(String heap, Quarantine.Entry e) {
        BlockImpl b = e.block();
        Site first = b.history == null ? null : b.history.last("free");
        String message = "double free by raw address: free(0x" + Long.toHexString(b.address) + ") through heap '"
                + heap + "' of the " + Errors.describe(b) + ", which was already freed on thread '" + e.freedBy()
                + "' and is held in the quarantine. Nothing reached the native allocator twice."
                + (first == null ? "" : "\n  first free: " + first.describe()) + Errors.allocatedAt(b);
        MisuseEvent.emit(DoubleFreeException.class.getSimpleName(), b.heap.name(), message);
        return new DoubleFreeException(message, b.heap.name(), b.tag, b.size, Errors.sites(b));
    }
}
