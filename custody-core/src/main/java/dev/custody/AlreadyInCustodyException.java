package dev.custody;

import java.util.List;

/**
 * An adoption was refused because the range is custody's already: it starts at a live block's
 * address, or lies inside (or over) a live block. Adopting it would give one piece of memory two
 * owners, and its later free would reach an allocator that did not hand it out. Nothing changed.
 */
public class AlreadyInCustodyException extends CustodyException {
    /** The address offered for adoption. */
    private final long address;
    /** The address of the live block that holds the range. */
    private final long holderAddress;

    /**
     * A refused adoption.
     *
     * @param message the full message
     * @param heap the heap concerned
     * @param tag the block's tag
     * @param size the block's size in bytes
     * @param address the address offered for adoption
     * @param holderAddress the address of the live block that already holds the range
     * @param sites the holder's tracked sites, allocation first
     */
    public AlreadyInCustodyException(String message, String heap, Tag tag, long size, long address,
                                     long holderAddress, List<Site> sites) {
        super(message, heap, tag, size, sites);
        this.address = address;
        this.holderAddress = holderAddress;
    }

    /**
     * The address that was offered for adoption.
     *
     * @return the address
     */
    public long address() {
        return address;
    }

    /**
     * The live block that already holds the range.
     *
     * @return its address
     */
    public long holderAddress() {
        return holderAddress;
    }
}
