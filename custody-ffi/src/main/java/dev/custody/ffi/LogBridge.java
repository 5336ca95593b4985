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
 * <p>The callback carries no handle. A record that arrives on a thread that is inside a call of a
 * plugin (its {@code plugin_init}, a call, its shutdown) goes to that plugin's sink. Any other
 * record, from a thread the plugin started itself, goes to the sink of the most recently loaded
 * plugin of the library that is still open, which need not be the plugin that started the thread;
 * with none open, it is dropped and counted.
 */
final class LogBridge {
    /** The longest message taken from the plugin; the rest is cut and marked. */
    private static final long MAX_MESSAGE = 64 * 1024;

    private final CopyOnWriteArrayList<LogSink> sinks = new CopyOnWriteArrayList<>();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sinkFailures = new AtomicLong();
    private volatile Throwable lastSinkFailure;
    /** The sink of the plugin this thread is calling, if it is inside a call. */
    private final ThreadLocal<LogSink> caller = new ThreadLocal<>();
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

    /**
     * Sends this thread's records to {@code sink} until {@link #unroute} restores what this returns
     * (calls nest: a reader may call another plugin of the library).
     */
    LogSink route(LogSink sink) {
        LogSink previous = caller.get();
        caller.set(sink);
        return previous;
    }

    void unroute(LogSink previous) {
        caller.set(previous);
    }

    /** Counts an exception a sink threw, here or in the host's own report. */
    void sinkFailed(Throwable t) {
        sinkFailures.incrementAndGet();
        lastSinkFailure = t;
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
            LogSink sink = caller.get();
            if (sink == null) {
                Object[] open = sinks.toArray(); // one snapshot: a plugin may close meanwhile
                if (open.length == 0) {
                    dropped.incrementAndGet();
                    return;
                }
                sink = (LogSink) open[open.length - 1];
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
            sink.log(LogLevel.of(Byte.toUnsignedInt(level)), t, m);
            delivered.incrementAndGet();
        } catch (Throwable e) {
            sinkFailed(e);
        }
    }
}
