package dev.custody;

import java.util.List;

/**
 * Law 2: a block was freed a second time. Nothing reached the native allocator twice. {@link
 * #sites()} holds the allocation site and the first free's site when tracked.
 */
public class DoubleFreeException extends CustodyException {
    public DoubleFreeException(String message, String heap, Tag tag, long size, List<Site> sites) {
        super(message, heap, tag, size, sites);
    }
}
