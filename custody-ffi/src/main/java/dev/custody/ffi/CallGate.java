package dev.custody.ffi;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls in flight on one plugin, and its closing, in one lock-free word: a count of calls in
 * its low bits, a CLOSING bit and a SHUTDOWN bit.
 *
 * <ul>
 *   <li>{@link #tryEnter()} fails at once once CLOSING is set: close refuses new calls at once.</li>
 *   <li>Exactly one party wins the right to shut down: {@link #close()} when no call is in
 *       flight, otherwise the {@link #exit()} of the last call. The winner is whoever moves the
 *       word from CLOSING with a count of 0 to SHUTDOWN, so shutdown never runs under a call.</li>
 * </ul>
 */
final class CallGate {
    private static final long CLOSING = 1L << 62;
    private static final long SHUTDOWN = 1L << 61;
    private static final long COUNT = SHUTDOWN - 1;

    private final AtomicLong word = new AtomicLong();

    /** Counts a call in, unless closing has begun. */
    boolean tryEnter() {
        for (;;) {
            long w = word.get();
            if ((w & CLOSING) != 0) {
                return false;
            }
            if (word.compareAndSet(w, w + 1)) {
                return true;
            }
        }
    }

    /** Counts a call out. @return true if the caller must now shut the plugin down */
    boolean exit() {
        return word.decrementAndGet() == CLOSING && word.compareAndSet(CLOSING, CLOSING | SHUTDOWN);
    }

    /**
     * Refuses new calls from now on.
     *
     * @return true if the caller must now shut the plugin down (no call was in flight); false if
     *     the last call will, or if closing had already begun
     */
    boolean close() {
        for (;;) {
            long w = word.get();
            if ((w & CLOSING) != 0) {
                return false;
            }
            if (word.compareAndSet(w, w | CLOSING)) {
                return (w & COUNT) == 0 && word.compareAndSet(CLOSING, CLOSING | SHUTDOWN);
            }
        }
    }

    boolean closing() {
        return (word.get() & CLOSING) != 0;
    }

    long inFlight() {
        return word.get() & COUNT;
    }
}
