package dev.custody;

import java.util.List;

/**
 * An adoption was refused because the range is custody's already: it starts at a live block's
 * address, or lies inside (or over) a live block. Adopting it would give one piece of memory two
 * owners, and its later free would reach an allocator that did not hand it out. Nothing changed.
 */
public class AlreadyInCustodyException extends CustodyException {
    private final long address;
    private final long holderAddress;

    public AlreadyInCustodyException(String message, String heap, Tag tag, long size, long address,
                                     long holderAddress, List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.address = address;
        this.holderAddress = holderAddress;
    }

    /** The address that was offered for adoption. */
    public long address() {
        return address;
    }

    /** The address of the live block that already holds the range. */
    public long holderAddress() {
        return holderAddress;
    }
}
