package dev.custody;

import java.util.List;

/**
 * The root of custody's exceptions: a misuse of a heap or block that custody caught before it
 * reached native code. Whenever one is thrown, the memory it concerns is left intact: nothing is
 * freed, nothing is lost.
 *
 * <p>Every subclass carries structured fields as well as a message a person can act on.
 */
public class CustodyException extends RuntimeException {
    /** The heap concerned, or null. */
    private final String heap;
    /** The block's tag, or null. */
    private final Tag tag;
    /** The block's size, or -1. */
    private final long size;
    /** The block's tracked sites, allocation first. */
    private final List<Site> sites;

    /**
     * An exception with its structured fields.
     *
     * @param message the full message
     * @param heap the heap concerned, or null
     * @param tag the block's tag, or null
     * @param size the block's size, or -1
     * @param sites the sites known for the block (allocation first), possibly empty
     */
    public CustodyException(String message, String heap, Tag tag, long size, List<Site> sites) {
        super(message);
        this.heap = heap;
        this.tag = tag;
        this.size = size;
        this.sites = List.copyOf(sites);
    }

    /**
     * An exception that concerns no heap or block.
     *
     * @param message the full message
     */
    public CustodyException(String message) {
        this(message, null, null, -1, List.of());
    }

    /**
     * The heap the exception concerns.
     *
     * @return the heap's name (for a wrong-heap free, the block's owner), or null
     */
    public String heap() {
        return heap;
    }

    /**
     * The block's tag.
     *
     * @return the tag, or null if no block is concerned
     */
    public Tag tag() {
        return tag;
    }

    /**
     * The block's size.
     *
     * @return the size in bytes, or -1
     */
    public long size() {
        return size;
    }

    /**
     * The tracked sites of the block.
     *
     * @return the sites, allocation first; empty when not tracked
     */
    public List<Site> sites() {
        return sites;
    }
}
