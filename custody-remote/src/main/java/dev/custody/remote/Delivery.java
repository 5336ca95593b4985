package dev.custody.remote;

/**
 * The pins of one result on its way to the client. They are taken back if the result does not get
 * there: if the call is cancelled (its deadline passed, or the client went) before the reply is
 * through, or if the server refuses to send it.
 *
 * <p>What the server cannot tell: a client whose deadline passes in the instant after the server
 * has sent the whole reply keeps those pins until it releases them or its session ends.
 */
final class Delivery {
    private ServerSession session;
    private long[] handles;
    private boolean cancelled;

    /** Records the pins a result made; if the call was cancelled already, takes them back now. */
    synchronized void pinned(ServerSession session, long[] handles) {
        this.session = session;
        this.handles = handles;
        if (cancelled) {
            takeBack();
        }
    }

    /** The call was cancelled: the result did not reach the client. */
    synchronized void cancelled() {
        cancelled = true;
        takeBack();
    }

    /** Takes the pins back, once. */
    synchronized void takeBack() {
        if (handles != null) {
            session.unpin(handles);
            handles = null;
        }
    }
}
