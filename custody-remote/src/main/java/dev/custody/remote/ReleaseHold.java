package dev.custody.remote;

/** A scope during which releases are queued but not sent; see {@link RemoteClient#holdReleases()}. */
public interface ReleaseHold extends AutoCloseable {
    /** Ends the scope, once; the outermost scope's end flushes the queue. */
    @Override
    void close();
}
