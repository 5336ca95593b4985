package dev.custody.ffi;

/**
 * The plugin broke the ABI: a response buffer whose fields cannot be true ({@code len >
 * capacity}, NULL data with a non-zero length, an absurd length), or a response that is not an
 * envelope. A malformed buffer is never read and never passed to the plugin's free function
 * (freeing it is undefined behaviour); it is quarantined and reported by {@link
 * NativePlugin#quarantinedBuffers()}.
 */
public class FfiProtocolException extends RuntimeException {
    /** The quarantined buffer, or null. */
    private final QuarantinedBuffer buffer;

    FfiProtocolException(String message, QuarantinedBuffer buffer) {
        super(message);
        this.buffer = buffer;
    }

    /**
     * The quarantined buffer, or null when the buffer was sound but its content was not an envelope.
     *
     * @return the buffer, or null
     */
    public QuarantinedBuffer buffer() {
        return buffer;
    }
}
