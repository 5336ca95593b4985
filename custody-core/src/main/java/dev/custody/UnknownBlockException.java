package dev.custody;

import java.util.List;

/**
 * Law 4: an address that custody did not hand out, and that was not adopted, was offered for a
 * free. It was not passed to the native allocator.
 */
public class UnknownBlockException extends CustodyException {
    private final long address;

    public UnknownBlockException(String message, String heap, long address) {
        super(message, heap, null, -1, List.of());
        this.address = address;
    }

    public long address() {
        return address;
    }
}
