package dev.custody.debug;

import dev.custody.Site;
import dev.custody.Tag;

import java.util.List;

/**
 * One corruption a debug heap found: which block, what kind, and where the first changed byte is.
 *
 * @param kind what was written where it must not be
 * @param heap the block's heap
 * @param tag the block's tag
 * @param size the block's size in bytes
 * @param address the block's address (the one its segment starts at)
 * @param offset the first changed byte, relative to {@code address}: negative for an underrun,
 *     {@code >= size} for an overrun, in {@code [0, size)} for a write after free
 * @param freedOnThread the thread that freed the block, or null if it was live when checked
 * @param sites the block's tracked sites (allocation first, then its recent events such as the
 *     free); empty when the heap does not track
 * @param message the full report, as thrown or logged
 */
public record Corruption(Kind kind, String heap, Tag tag, long size, long address, long offset,
                         String freedOnThread, List<Site> sites, String message) {
    /** Copies {@code sites}. */
    public Corruption {
        sites = List.copyOf(sites);
    }

    /** What kind of corruption. */
    public enum Kind {
        /** A canary before the block changed: something wrote below the block's start. */
        UNDERRUN,
        /** A canary after the block changed: something wrote past the block's end. */
        OVERRUN,
        /** The poison of a freed block changed while it sat in quarantine. */
        WRITE_AFTER_FREE
    }
}
