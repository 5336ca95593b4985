package dev.custody.remote;

import java.time.Duration;

/**
 * How a {@link RemoteClient} flushes its release queue.
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
 * @param callTimeout the deadline of each call
 */
public record ClientOptions(Duration flushInterval, int flushThreshold, Duration gcHintDelay, double oldGenThreshold,
        Duration gcRequestInterval, Duration callTimeout) {

    /**
     * @throws IllegalArgumentException if a duration is not positive, the threshold is below 1, or
     *     the old-generation fraction is outside [0, 1)
     */
    public ClientOptions {
        if (flushInterval.isNegative() || flushInterval.isZero() || gcHintDelay.isNegative()
                || callTimeout.isNegative() || callTimeout.isZero()) {
            throw new IllegalArgumentException("flushInterval and callTimeout must be positive, gcHintDelay not negative");
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
    }

    /** Timer 100 ms, threshold 4,096, GC hint delay 5 ms, 80% of the old generation, no GC requests, 10 s calls. */
    public static ClientOptions defaults() {
        return new ClientOptions(Duration.ofMillis(100), 4096, Duration.ofMillis(5), 0.8, null, Duration.ofSeconds(10));
    }

    public ClientOptions withFlushInterval(Duration d) {
        return new ClientOptions(d, flushThreshold, gcHintDelay, oldGenThreshold, gcRequestInterval, callTimeout);
    }

    public ClientOptions withFlushThreshold(int n) {
        return new ClientOptions(flushInterval, n, gcHintDelay, oldGenThreshold, gcRequestInterval, callTimeout);
    }

    public ClientOptions withGcHintDelay(Duration d) {
        return new ClientOptions(flushInterval, flushThreshold, d, oldGenThreshold, gcRequestInterval, callTimeout);
    }

    public ClientOptions withOldGenThreshold(double fraction) {
        return new ClientOptions(flushInterval, flushThreshold, gcHintDelay, fraction, gcRequestInterval, callTimeout);
    }

    public ClientOptions withGcRequestInterval(Duration d) {
        return new ClientOptions(flushInterval, flushThreshold, gcHintDelay, oldGenThreshold, d, callTimeout);
    }
}
