package dev.custody;

import java.util.List;

/**
 * Law 8: a block whose address or layout is custody's own (over-allocated for alignment,
 * carved from a pool, guarded or canaried) or that is reference counted cannot be handed to
 * native code. The block is unchanged.
 */
public class IllegalHandOffException extends CustodyException {
    /**
     * A refused hand-off.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param sites the block's tracked sites, allocation first
     */
    public IllegalHandOffException(String message, String heap, Tag tag, long size, List<Site> sites) {
        super(message, heap, tag, size, sites);
    }
}
