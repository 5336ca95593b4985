package dev.custody;

import java.util.List;

/**
 * Law 4: an address that custody did not hand out, and that was not adopted, was offered for a
 * free. It was not passed to the native allocator.
 */
public class UnknownBlockException extends CustodyException {
    /** The address offered for a free. */
    private final long address;

    /**
     * A refused free of an address custody does not know.
     *
     * @param message the full message
     * @param heap the heap asked to free it
     * @param address the address
     */
    public UnknownBlockException(String message, String heap, long address) {
        super(message, heap, null, -1, List.of());
        this.address = address;
    }

    /**
     * The address offered for a free.
     *
     * @return the address, which was not passed to the allocator
     */
    public long address() {
        return address;
    }
}
