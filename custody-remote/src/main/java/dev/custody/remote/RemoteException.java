package dev.custody.remote;

import dev.custody.CustodyException;

/**
 * A call to an object server was refused or failed. {@link #code()} is the gRPC status code
 * ({@code NOT_FOUND}, {@code PERMISSION_DENIED}, {@code INVALID_ARGUMENT}, {@code RESOURCE_EXHAUSTED}, ...).
 */
public class RemoteException extends CustodyException {
    /** The gRPC status code's name, which also starts the message. */
    private final String code;

    /** Made by the client from a refusal's status; not for callers, who catch and read it. */
    RemoteException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /**
     * The gRPC status code's name, or {@code SESSION_LOST} for a {@link SessionLostException}.
     *
     * @return the code, such as {@code NOT_FOUND}; never null
     */
    public String code() {
        return code;
    }
}
