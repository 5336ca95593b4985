package dev.custody.remote;

import dev.custody.remote.wire.ReleaseEntry;
import dev.custody.remote.wire.ReleaseRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Releases waiting to be sent, as (handle, count) for the current session, and the thread that
 * sends them: on the timer, past the threshold, after a GC hint, and at once when asked.
 * Releases of a session that has ended are discarded: the server already dropped those pins.
 */
final class ReleaseQueue implements AutoCloseable {
    /** An (id, count) entry on the wire is at most 1 + 1 + 9 + 1 + 5 bytes; 24 leaves room. */
    private static final int ENTRY_BYTES = 24;

    private final ClientOptions options;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Object sending = new Object();
    private final Thread flusher;
    private final Runnable tick;
    private ClientSession session;
    private Map<Long, Integer> pending = new HashMap<>();
    private long[] times = new long[256];
    private int depth;
    private int holds;
    private boolean urgent;
    private long hintAt;
    private long lastFlush = System.nanoTime();
    private volatile boolean closed;

    final AtomicLong queued = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong messages = new AtomicLong();
    final AtomicLong discarded = new AtomicLong();
    final LatencyLog latency = new LatencyLog();

    /** @param tick run on every wake of the flusher thread (the opt-in GC request check) */
    ReleaseQueue(ClientOptions options, ClientSession session, Runnable tick) {
        this.options = options;
        this.session = session;
        this.tick = tick;
        this.flusher = Thread.ofPlatform().daemon().name("custody-release-flusher").start(this::run);
    }

    /** Queues one release of a pin of {@code owner}. Called by close() and by the Cleaner. */
    void add(ClientSession owner, long id) {
        queued.incrementAndGet();
        lock.lock();
        try {
            if (owner != session || !owner.live()) {
                discarded.incrementAndGet();
                return;
            }
            pending.merge(id, 1, Integer::sum);
            if (depth == times.length) {
                times = Arrays.copyOf(times, depth * 2);
            }
            times[depth++] = System.nanoTime();
            if (depth >= options.flushThreshold() && holds == 0) {
                urgent = true;
                wake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A GC happened: flush once the Cleaner has had {@code gcHintDelay} to queue its proxies. */
    void hint() {
        lock.lock();
        try {
            hintAt = System.nanoTime() + options.gcHintDelay().toNanos();
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    ReleaseHold hold() {
        lock.lock();
        try {
            holds++;
        } finally {
            lock.unlock();
        }
        var ended = new AtomicBoolean();
        return () -> {
            if (ended.compareAndSet(false, true)) {
                lock.lock();
                boolean last;
                try {
                    last = --holds == 0;
                } finally {
                    lock.unlock();
                }
                if (last) {
                    flush(false);
                }
            }
        };
    }

    int depth() {
        lock.lock();
        try {
            return depth;
        } finally {
            lock.unlock();
        }
    }

    /** Switches to a new session; what was queued for the old one is discarded. */
    void switchTo(ClientSession next) {
        lock.lock();
        try {
            discarded.addAndGet(depth);
            pending = new HashMap<>();
            depth = 0;
            session = next;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends what is queued, in chunks below the server's limits; unless {@code force}, nothing is
     * sent while a hold scope is open.
     *
     * @throws SessionLostException if the session ended (the queue is then discarded)
     * @throws RemoteException if the server refused a chunk
     */
    void flush(boolean force) {
        synchronized (sending) {
            Map<Long, Integer> batch;
            long[] stamps;
            ClientSession owner;
            lock.lock();
            try {
                if (depth == 0 || (holds > 0 && !force)) {
                    return;
                }
                batch = pending;
                stamps = Arrays.copyOf(times, depth);
                owner = session;
                pending = new HashMap<>();
                depth = 0;
                lastFlush = System.nanoTime();
            } finally {
                lock.unlock();
            }
            send(owner, batch, stamps);
        }
    }

    private void send(ClientSession owner, Map<Long, Integer> batch, long[] stamps) {
        int chunk = Math.max(1, Math.min(owner.limits.getMaxReleaseEntries(),
                (owner.limits.getMaxMessageBytes() - 64) / ENTRY_BYTES));
        List<ReleaseEntry> entries = new ArrayList<>(batch.size());
        batch.forEach((id, count) -> entries.add(ReleaseEntry.newBuilder().setId(id).setCount(count).build()));
        long remaining = stamps.length;
        for (int from = 0; from < entries.size(); from += chunk) {
            List<ReleaseEntry> part = entries.subList(from, Math.min(entries.size(), from + chunk));
            try {
                owner.stub(options.callTimeout()).release(
                        ReleaseRequest.newBuilder().setEpoch(owner.epoch).addAllEntries(part).build());
            } catch (StatusRuntimeException e) {
                discarded.addAndGet(remaining);
                RemoteException failure = ClientErrors.fromStatus(Status.fromThrowable(e), "releasing pins");
                if (failure instanceof SessionLostException) {
                    owner.end(e.getStatus().toString());
                }
                throw failure;
            }
            long n = part.stream().mapToLong(ReleaseEntry::getCount).sum();
            messages.incrementAndGet();
            sent.addAndGet(n);
            remaining -= n;
        }
        long now = System.nanoTime();
        for (long t : stamps) {
            latency.add(now - t);
        }
    }

    private void run() {
        while (!closed) {
            boolean due;
            lock.lock();
            try {
                long now = System.nanoTime();
                long wait = hintAt != 0 ? Math.max(0, hintAt - now) : options.flushInterval().toNanos();
                if (!urgent && wait > 0) {
                    wake.awaitNanos(wait);
                }
                now = System.nanoTime();
                boolean hinted = hintAt != 0 && now >= hintAt;
                boolean timer = now - lastFlush >= options.flushInterval().toNanos();
                due = depth > 0 && holds == 0 && (urgent || hinted || timer);
                urgent = false;
                if (hinted) {
                    hintAt = 0;
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            if (due) {
                try {
                    flush(false);
                } catch (RemoteException e) {
                    // Counted as discarded; a lost session surfaces on the next call.
                }
            }
            tick.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
