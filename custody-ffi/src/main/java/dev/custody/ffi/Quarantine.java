package dev.custody.ffi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Malformed response buffers: never read, never passed to the plugin's free (freeing them is
 * undefined behaviour), counted and kept for the report (the first {@value #KEPT}).
 */
final class Quarantine {
    static final int KEPT = 64;

    private final String plugin;
    private final AtomicLong count = new AtomicLong();
    private final List<QuarantinedBuffer> kept = new ArrayList<>();

    Quarantine(String plugin) {
        this.plugin = plugin;
    }

    /** Quarantines the buffer and returns the exception to throw. */
    FfiProtocolException add(Returned r, String function, String defect) {
        QuarantinedBuffer q = new QuarantinedBuffer(function, r.structName(), r.data(), r.len(), r.capacity(),
                r.errorCode(), defect, Thread.currentThread().getName());
        long n = count.incrementAndGet();
        synchronized (kept) {
            if (kept.size() < KEPT) {
                kept.add(q);
            }
        }
        return new FfiProtocolException("plugin '" + plugin + "': " + function + " returned a malformed " + q
                + ". It was not read and not passed to " + r.freeFunction() + " (freeing it is undefined"
                + " behaviour): quarantined, " + n + " so far (see NativePlugin.quarantinedBuffers())", q);
    }

    long count() {
        return count.get();
    }

    List<QuarantinedBuffer> kept() {
        synchronized (kept) {
            return List.copyOf(kept);
        }
    }
}
