package dev.custody.remote;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * A proxy. Its Cleaner action holds no reference to it, and queues exactly one release: whichever
 * of close() and the Cleaner comes first runs the action, and {@link Cleaner.Cleanable#clean()}
 * never runs it twice.
 */
final class RemoteRefImpl implements RemoteRef {
    private final RemoteClientImpl client;
    final ClientSession session;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    /** The release, run once, by close() or by the Cleaner. */
    private record Release(RemoteClientImpl client, ClientSession session, long id) implements Runnable {
        @Override
        public void run() {
            client.released(session, id);
        }
    }

    RemoteRefImpl(RemoteClientImpl client, ClientSession session, long id, Cleaner cleaner) {
        this.client = client;
        this.session = session;
        this.handle = new Handle(session.epoch, id);
        this.cleanable = cleaner.register(this, new Release(client, session, id));
    }

    @Override
    public Object get(String property) {
        try {
            requireOpen();
            return client.get(this, property);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public Object invoke(String method, Object... args) {
        try {
            requireOpen();
            return client.invoke(this, method, args);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw ClientErrors.closed(handle);
        }
    }

    @Override
    public Handle handle() {
        return handle;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cleanable.clean();
            client.releaseNow();
        }
    }

    @Override
    public String toString() {
        return "RemoteRef[session " + session.id + ", handle " + handle.id() + (closed ? ", closed]" : "]");
    }
}
