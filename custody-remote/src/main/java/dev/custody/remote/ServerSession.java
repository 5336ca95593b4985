package dev.custody.remote;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One client's lease on the server: its token and its pins. The same object sent twice to the
 * session has one handle whose count goes up by one per sending. Every change is all or nothing.
 */
final class ServerSession {
    private static final class Pin {
        final long id;
        final Object target;
        long count;

        Pin(long id, Object target) {
            this.id = id;
            this.target = target;
        }
    }

    final long id;
    final String token;
    /** The largest result this session's client accepts, as agreed in its hello. */
    final int maxResultBytes;
    private final long maxPins;
    private final AtomicLong serverPins;
    private final LongSupplier ids;
    private final Map<Long, Pin> byId = new HashMap<>();
    private final Map<Object, Pin> byObject = new IdentityHashMap<>();
    private long pins;
    private long releaseMessages;
    private boolean ended;
    private volatile long lastSeen = System.nanoTime();
    private volatile Runnable onExpiry = () -> { };

    ServerSession(long id, String token, int maxResultBytes, long maxPins, AtomicLong serverPins, LongSupplier ids) {
        this.id = id;
        this.token = token;
        this.maxResultBytes = maxResultBytes;
        this.maxPins = maxPins;
        this.serverPins = serverPins;
        this.ids = ids;
    }

    /** The pinned object behind a handle of this session. */
    synchronized Object target(long handle) {
        requireLive();
        Pin pin = byId.get(handle);
        if (pin == null) {
            throw Failures.unknownHandle(handle);
        }
        return pin.target;
    }

    /** Pins every object once, all or none, and returns their handles in order. */
    synchronized long[] pin(List<Object> objects) {
        requireLive();
        if (pins + objects.size() > maxPins) {
            throw Failures.pinCap(pins, objects.size(), maxPins);
        }
        long[] handles = new long[objects.size()];
        for (int i = 0; i < handles.length; i++) {
            Pin pin = byObject.computeIfAbsent(objects.get(i), o -> {
                Pin p = new Pin(ids.getAsLong(), o);
                byId.put(p.id, p);
                return p;
            });
            pin.count++;
            handles[i] = pin.id;
        }
        pins += handles.length;
        serverPins.addAndGet(handles.length);
        return handles;
    }

    /**
     * Drops {@code counts[i]} pins of {@code handles[i]}, all or none: an unknown handle or a count
     * above what is held refuses the whole batch.
     *
     * @return how many pins were dropped
     */
    synchronized long release(long[] handles, long[] counts) {
        requireLive();
        releaseMessages++;
        Map<Long, Long> wanted = new HashMap<>();
        for (int i = 0; i < handles.length; i++) {
            Pin pin = byId.get(handles[i]);
            if (pin == null) {
                throw Failures.unknownHandle(handles[i]);
            }
            long sum = wanted.merge(handles[i], counts[i], Long::sum);
            if (counts[i] <= 0 || sum > pin.count) {
                throw Failures.overRelease(handles[i], sum, pin.count);
            }
        }
        long dropped = 0;
        for (var e : wanted.entrySet()) {
            Pin pin = byId.get(e.getKey());
            pin.count -= e.getValue();
            dropped += e.getValue();
            if (pin.count == 0) {
                byId.remove(pin.id);
                byObject.remove(pin.target);
            }
        }
        pins -= dropped;
        serverPins.addAndGet(-dropped);
        return dropped;
    }

    /**
     * Takes back the pins {@link #pin} made for a result that did not reach the client. Not a
     * release message, and never refused: a pin the client somehow dropped already, or a session
     * that has ended, leaves nothing to take back.
     */
    synchronized void unpin(long[] handles) {
        if (ended) {
            return;
        }
        long dropped = 0;
        for (long handle : handles) {
            Pin pin = byId.get(handle);
            if (pin != null) {
                dropped++;
                if (--pin.count == 0) {
                    byId.remove(pin.id);
                    byObject.remove(pin.target);
                }
            }
        }
        pins -= dropped;
        serverPins.addAndGet(-dropped);
    }

    /** Ends the lease: drops every pin. Later calls are refused. Idempotent. */
    synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        serverPins.addAndGet(-pins);
        pins = 0;
        byId.clear();
        byObject.clear();
    }

    /** The client showed life: a heartbeat or a call. */
    void touch() {
        lastSeen = System.nanoTime();
    }

    /** Whether nothing came from the client for longer than {@code boundNanos}. */
    boolean silentFor(long boundNanos, long now) {
        return now - lastSeen > boundNanos;
    }

    /** What ends the session's stream when its lease expires. */
    void onExpiry(Runnable action) {
        this.onExpiry = action;
    }

    void expire() {
        onExpiry.run();
    }

    synchronized long pins() {
        return pins;
    }

    synchronized long releaseMessages() {
        return releaseMessages;
    }

    synchronized boolean ended() {
        return ended;
    }

    private void requireLive() {
        if (ended) {
            throw Failures.badSession();
        }
    }
}
