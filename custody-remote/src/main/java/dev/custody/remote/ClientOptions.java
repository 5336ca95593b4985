package dev.custody.remote;

import java.time.Duration;

/**
 * How a {@link RemoteClient} flushes its release queue, and how it talks to the server.
 *
 * @param flushInterval the timer: a non-empty queue is flushed at least this often
 * @param flushThreshold a queue this deep is flushed at once
 * @param gcHintDelay after a GC notification, how long to let the Cleaner queue the dead proxies
 *     before flushing
 * @param oldGenThreshold the fraction of the old generation's maximum at which a usage-threshold
 *     notification flushes the queue (0 to leave the pools' thresholds alone)
 * @param gcRequestInterval null (the default) never requests a GC; otherwise, while proxies are
 *     live and no major GC has happened for this long, {@code System.gc()} is requested, at most
 *     once per interval, so that old-generation proxies cannot stay unreleased for ever
 * @param callTimeout the deadline of each call, and of opening the first session
 * @param reconnectDeadline how long {@link RemoteClient#reconnect()} keeps trying to reach the
 *     server and open a session (a restarting server is not listening yet, and the connection's
 *     backoff is cut short)
 * @param maxInboundMessageBytes the largest message this client accepts; it is told to the server
 *     when the session opens, and the server refuses a larger result instead of sending it
 */
public record ClientOptions(Duration flushInterval, int flushThreshold, Duration gcHintDelay, double oldGenThreshold,
        Duration gcRequestInterval, Duration callTimeout, Duration reconnectDeadline, int maxInboundMessageBytes) {

    /** The default {@link #reconnectDeadline()}: 10 s. */
    public static final Duration DEFAULT_RECONNECT_DEADLINE = Duration.ofSeconds(10);
    /** The default {@link #maxInboundMessageBytes()}: 64 MiB (a result may hold many handles). */
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

    /**
     * Checks the options.
     *
     * @throws NullPointerException if {@code flushInterval}, {@code gcHintDelay}, {@code callTimeout}
     *     or {@code reconnectDeadline} is null
     * @throws IllegalArgumentException if the flush interval, call timeout or reconnect deadline is
     *     not positive, the GC hint delay is negative, the GC request interval is neither null nor
     *     positive, the threshold is below 1, the old-generation fraction is outside [0, 1), or the
     *     message limit is not positive
     */
    public ClientOptions {
        if (flushInterval.isNegative() || flushInterval.isZero() || gcHintDelay.isNegative()
                || callTimeout.isNegative() || callTimeout.isZero()
                || reconnectDeadline.isNegative() || reconnectDeadline.isZero()) {
            throw new IllegalArgumentException(
                    "flushInterval, callTimeout and reconnectDeadline must be positive, gcHintDelay not negative");
        }
        if (flushThreshold < 1) {
            throw new IllegalArgumentException("flushThreshold must be at least 1, not " + flushThreshold);
        }
        if (oldGenThreshold < 0 || oldGenThreshold >= 1) {
            throw new IllegalArgumentException("oldGenThreshold must be in [0, 1), not " + oldGenThreshold);
        }
        if (gcRequestInterval != null && (gcRequestInterval.isNegative() || gcRequestInterval.isZero())) {
            throw new IllegalArgumentException("gcRequestInterval must be positive or null");
        }
        if (maxInboundMessageBytes < 1) {
            throw new IllegalArgumentException("maxInboundMessageBytes must be positive, not " + maxInboundMessageBytes);
        }
    }

    /**
     * The options without a reconnect deadline or message limit: those take their defaults ({@value
     * #DEFAULT_MAX_INBOUND_MESSAGE_BYTES} B, {@link #DEFAULT_RECONNECT_DEADLINE}).
     *
     * @param flushInterval the timer: a non-empty queue is flushed at least this often; positive
     * @param flushThreshold a queue this deep is flushed at once; 1 or more
     * @param gcHintDelay after a GC notification, how long to let the Cleaner queue the dead proxies
     *     before flushing; zero or more
     * @param oldGenThreshold the fraction of the old generation's maximum at which a usage-threshold
     *     notification flushes the queue, in [0, 1) (0 leaves the pools' thresholds alone)
     * @param gcRequestInterval null never requests a GC; otherwise the positive interval of
     *     {@link #gcRequestInterval()}
     * @param callTimeout the deadline of each call, and of opening the first session; positive
     * @throws NullPointerException as the canonical constructor
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ClientOptions(Duration flushInterval, int flushThreshold, Duration gcHintDelay, double oldGenThreshold,
            Duration gcRequestInterval, Duration callTimeout) {
        this(flushInterval, flushThreshold, gcHintDelay, oldGenThreshold, gcRequestInterval, callTimeout,
                DEFAULT_RECONNECT_DEADLINE, DEFAULT_MAX_INBOUND_MESSAGE_BYTES);
    }

    /**
     * Timer 100 ms, threshold 4,096, GC hint delay 5 ms, 80% of the old generation, no GC requests,
     * 10 s calls, reconnects that keep trying for 10 s, inbound messages up to 64 MiB.
     *
     * @return the default options
     */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofMillis(100), 4096, Duration.ofMillis(5), 0.8, null, Duration.ofSeconds(10));
    }

    /**
     * A copy of these options with another {@link #flushInterval()}.
     *
     * @param d the timer: a non-empty queue is flushed at least this often; positive
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code d} is out of the range the canonical
     *     constructor allows
     */
    public ClientOptions withFlushInterval(Duration d) {
        return new ClientOptions(d, flushThreshold, gcHintDelay, oldGenThreshold, gcRequestInterval, callTimeout,
                reconnectDeadline, maxInboundMessageBytes);
    }

    /**
     * A copy of these options with another {@link #flushThreshold()}.
     *
     * @param n the queue depth that flushes at once; 1 or more
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code n} is out of the range the canonical
     *     constructor allows
     */
    public ClientOptions withFlushThreshold(int n) {
        return new ClientOptions(flushInterval, n, gcHintDelay, oldGenThreshold, gcRequestInterval, callTimeout,
                reconnectDeadline, maxInboundMessageBytes);
    }

    /**
     * A copy of these options with another {@link #gcHintDelay()}.
     *
     * @param d how long to wait after a GC notification before flushing; zero or more
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code d} is out of the range the canonical
     *     constructor allows
     */
    public ClientOptions withGcHintDelay(Duration d) {
        return new ClientOptions(flushInterval, flushThreshold, d, oldGenThreshold, gcRequestInterval, callTimeout,
                reconnectDeadline, maxInboundMessageBytes);
    }

    /**
     * A copy of these options with another {@link #oldGenThreshold()}.
     *
     * @param fraction the old generation's fill, in [0, 1), whose usage-threshold notification flushes the
     *     queue; 0 leaves the pools' thresholds alone
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code fraction} is out of the range the canonical
     *     constructor allows
     */
    public ClientOptions withOldGenThreshold(double fraction) {
        return new ClientOptions(flushInterval, flushThreshold, gcHintDelay, fraction, gcRequestInterval, callTimeout,
                reconnectDeadline, maxInboundMessageBytes);
    }

    /**
     * A copy of these options with another {@link #gcRequestInterval()}.
     *
     * @param d null never requests a GC; otherwise the positive interval between GC requests while
     *     proxies are live and no major GC happened
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code d} is out of the range the canonical
     *     constructor allows
     */
    public ClientOptions withGcRequestInterval(Duration d) {
        return new ClientOptions(flushInterval, flushThreshold, gcHintDelay, oldGenThreshold, d, callTimeout,
                reconnectDeadline, maxInboundMessageBytes);
    }

    /**
     * A copy of these options with another {@link #callTimeout()}.
     *
     * @param d the deadline of each call, and of opening the first session; positive
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code d} is out of the range the canonical
     *     constructor allows
     */
    public ClientOptions withCallTimeout(Duration d) {
        return new ClientOptions(flushInterval, flushThreshold, gcHintDelay, oldGenThreshold, gcRequestInterval, d,
                reconnectDeadline, maxInboundMessageBytes);
    }

    /**
     * A copy of these options with another {@link #reconnectDeadline()}.
     *
     * @param d how long {@link RemoteClient#reconnect()} keeps trying; positive
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code d} is not positive
     */
    public ClientOptions withReconnectDeadline(Duration d) {
        return new ClientOptions(flushInterval, flushThreshold, gcHintDelay, oldGenThreshold, gcRequestInterval,
                callTimeout, d, maxInboundMessageBytes);
    }

    /**
     * A copy of these options with another {@link #maxInboundMessageBytes()}.
     *
     * @param bytes the largest message this client accepts, in bytes; positive
     * @return the new options; these are unchanged
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public ClientOptions withMaxInboundMessageBytes(int bytes) {
        return new ClientOptions(flushInterval, flushThreshold, gcHintDelay, oldGenThreshold, gcRequestInterval,
                callTimeout, reconnectDeadline, bytes);
    }
}
