package dev.custody.remote;

import dev.custody.CustodyException;

/**
 * A call to an object server was refused or failed. {@link #code()} is the gRPC status code
 * ({@code NOT_FOUND}, {@code PERMISSION_DENIED}, {@code INVALID_ARGUMENT}, {@code RESOURCE_EXHAUSTED}, ...).
 */
public class RemoteException extends CustodyException {
    private final String code;

    public RemoteException(String code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The gRPC status code name. */
    public String code() {
        return code;
    }
}
