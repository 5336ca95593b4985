package dev.custody.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A library's log callback: one upcall stub per loaded library, allocated in {@link
 * Arena#global()} so it lives as long as the library, which is never unloaded. rustbridge's
 * callback is process-wide and fires after its lock is released, so no acknowledgement could make
 * freeing it safe.
 *
 * <p>The callback carries no handle, so records go to the sink of the most recently loaded plugin
 * of the library that is still open; with none open, they are dropped and counted.
 */
final class LogBridge {
    /** The longest message taken from the plugin; the rest is cut and marked. */
    private static final long MAX_MESSAGE = 64 * 1024;

    private final CopyOnWriteArrayList<LogSink> sinks = new CopyOnWriteArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private volatile Throwable lastSinkFailure;
    final MemorySegment stub;

    LogBridge() {
        try {
            var target = MethodHandles.lookup().findVirtual(LogBridge.class, "onLog",
                    MethodType.methodType(void.class, byte.class, MemorySegment.class, MemorySegment.class, long.class));
            stub = Linker.nativeLinker().upcallStub(target.bindTo(this), Abi.LOG_CALLBACK, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    void attach(LogSink sink) {
        sinks.add(sink);
    }

    void detach(LogSink sink) {
        sinks.remove(sink);
    }

    long delivered() {
        return delivered.get();
    }

    long dropped() {
        return dropped.get();
    }

    long sinkFailures() {
        return sinkFailures.get();
    }

    Throwable lastSinkFailure() {
        return lastSinkFailure;
    }

    /** The upcall. Nothing may escape it: an exception here would end the JVM. */
    private void onLog(byte level, MemorySegment target, MemorySegment msg, long len) {
        try {
            Object[] open = sinks.toArray(); // one snapshot: a plugin may close meanwhile
            if (open.length == 0) {
                dropped.incrementAndGet();
                return;
            }
            String t = target.equals(MemorySegment.NULL) ? "" : target.reinterpret(Long.MAX_VALUE).getString(0);
            String m;
            if (msg.equals(MemorySegment.NULL) || len <= 0) {
                m = "";
            } else {
                long n = Math.min(len, MAX_MESSAGE);
                m = new String(msg.reinterpret(n).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8)
                        + (n < len ? "... [" + (len - n) + " more bytes cut]" : "");
            }
            ((LogSink) open[open.length - 1]).log(LogLevel.of(Byte.toUnsignedInt(level)), t, m);
            delivered.incrementAndGet();
        } catch (Throwable e) {
            sinkFailures.incrementAndGet();
            lastSinkFailure = e;
        }
    }
}
