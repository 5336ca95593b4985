package dev.custody.ffi;

import dev.custody.Block;
import dev.custody.Heap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A native plugin that exports the plugin ABI (DESIGN.md, "FFI: the plugin ABI"; rustbridge's C
 * ABI): the callee allocates every response, and the host frees it through the plugin's own free
 * function.
 *
 * <h2>Custody of responses</h2>
 * Every response buffer is first validated: {@code len > capacity}, NULL data with a non-zero
 * length, or an absurd length (over {@value Returned#MAX_LEN} B) throws {@link
 * FfiProtocolException}, and such a buffer is quarantined, never read and never freed. A sound
 * buffer is adopted as a block of the plugin's heap ({@link #heap()}, named after the plugin), with
 * a {@link dev.custody.Releaser} that passes the struct to {@code plugin_free_buffer} or {@code
 * rb_response_free}, so the block can be freed through that heap from any thread; it is read
 * (copied, or read in place by a reader), then freed, on every path, exceptions included. {@link
 * #outstandingBuffers()} counts the buffers between adoption and free. A buffer with non-NULL data
 * and a capacity of 0 (what {@code malloc(0)} gives, or Rust's empty vector) is sound: it is not
 * adopted, because Rust's empty vectors share one dangling pointer, but it is passed to the
 * plugin's free all the same. An empty reply is not an envelope, so {@link #call(String, byte[])}
 * throws {@link FfiProtocolException} for it ({@link PluginException} if its error code is not 0),
 * and {@link #callRaw(int, MemorySegment)} returns an empty result.
 *
 * <h2>Threads and closing</h2>
 * Any number of threads may call at once; a lock-free counter tracks the calls in flight. {@link
 * #close()} refuses new calls at once ({@link IllegalStateException}); the plugin is shut down by
 * {@code close()} itself when no call is in flight, otherwise by the last call in flight as it
 * returns, so {@code plugin_shutdown} never runs under a call. The log callback's upcall stub and
 * the library itself are never freed: the callback may fire from any thread at any time.
 *
 * <h2>Log records</h2>
 * The ABI's log callback carries no handle, and one callback serves every plugin of a library. A
 * record logged on a thread that is inside a call of a plugin ({@code plugin_init}, a call, {@code
 * plugin_shutdown}) goes to that plugin's sink. A record from a thread the plugin started itself
 * cannot be traced to its plugin: it goes to the sink of the most recently loaded plugin of the
 * same library that is still open. So, with several plugins of one library open, such a record
 * may reach another plugin's sink, and one that a closed plugin's thread logs late goes to another
 * open plugin of the library, or, with none open, is dropped and counted ({@link
 * #logRecordsDropped()}). Where that matters, give the plugins of one library one sink.
 */
public final class NativePlugin implements AutoCloseable {
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);
    private static final Function<MemorySegment, byte[]> COPY = s -> s.toArray(JAVA_BYTE);

    private final PluginLibrary lib;
    private final MemorySegment handle;
    private final LogSink sink;
    private final CallGate gate = new CallGate();
    /** Adopted and not yet freed; a LongAdder, so that threads calling at once do not contend on it. */
    private final LongAdder outstanding = new LongAdder();
    private final Quarantine quarantine;
    /** Null while open; STOPPING from close() until the shutdown, then STOPPED or FAILED. */
    private final AtomicReference<PluginState> closedState = new AtomicReference<>();
    private volatile Throwable shutdownFailure;

    private NativePlugin(PluginLibrary lib, MemorySegment handle, LogSink sink) {
        this.lib = lib;
        this.handle = handle;
        this.sink = sink;
        this.quarantine = new Quarantine(lib.name);
    }

    /**
     * Loads (once per JVM) the library, then {@code plugin_create} and {@code plugin_init}.
     *
     * @param library the plugin's shared library
     * @param configJson the config, which must be JSON; null for the plugin's defaults
     * @param logSink where the plugin's log records go, from any thread (see "Log records" above for
     *     the records of threads the plugin starts itself); null to drop them
     * @throws IllegalArgumentException if the library is missing, cannot be loaded or lacks an ABI
     *     function, or the config is not JSON
     * @throws PluginException with {@link ErrorCode#INITIALIZATION_FAILED} if {@code
     *     plugin_create} or {@code plugin_init} returns NULL; the object {@code plugin_create} made
     *     is then orphaned (the ABI has no destroy) and counted in {@link #orphanedObjects()}
     * @return the started plugin; close it to shut it down
     */
    public static NativePlugin load(Path library, byte[] configJson, LogSink logSink) {
        Objects.requireNonNull(library, "library");
        if (configJson != null) {
            Envelope.requireJson(configJson);
        }
        PluginLibrary lib = PluginLibrary.of(library);
        LogSink sink = logSink == null ? LogSink.NONE : logSink;
        MemorySegment object = invoke(() -> (MemorySegment) lib.create.invokeExact(), lib, "plugin_create");
        if (object.equals(MemorySegment.NULL)) {
            throw FfiErrors.createFailed(lib.name);
        }
        lib.log.attach(sink);
        MemorySegment handle;
        LogSink caller = lib.log.route(sink);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment cfg = configJson == null ? MemorySegment.NULL : a.allocateFrom(JAVA_BYTE, configJson);
            long len = configJson == null ? 0 : configJson.length;
            handle = invoke(() -> (MemorySegment) lib.init.invokeExact(object, cfg, len, lib.log.stub), lib, "plugin_init");
        } catch (RuntimeException e) {
            lib.log.detach(sink);
            throw e;
        } finally {
            lib.log.unroute(caller);
        }
        if (handle.equals(MemorySegment.NULL)) {
            lib.log.detach(sink);
            throw FfiErrors.initFailed(lib.name, object.address(), lib.orphaned());
        }
        return new NativePlugin(lib, handle, sink);
    }

    /**
     * The plugin's name: its library's file name without {@code lib} and {@code .so}.
     *
     * @return the name
     */
    public String name() {
        return lib.name;
    }

    /**
     * The heap whose blocks are this plugin library's response buffers (shared by its instances).
     *
     * @return the heap
     */
    public Heap heap() {
        return lib.heap;
    }

    /**
     * A call through the JSON transport.
     *
     * @param typeTag the message type, such as {@code "echo"}
     * @param request the request, JSON as UTF-8 bytes
     * @return the payload of the success envelope, copied out; the buffer is already freed
     * @throws PluginException if the plugin answers with an error (envelope, code, or panic string)
     * @throws FfiProtocolException if the buffer is malformed (quarantined), or the response is not
     *     an envelope (freed), an empty reply included, or it is an error envelope whose {@code
     *     error_code} is missing, not an integer or not an ABI code 1..13 (freed; the message names
     *     the defect)
     * @throws IllegalStateException if the plugin is closed
     * @throws IllegalArgumentException if {@code typeTag} contains a NUL character
     */
    public byte[] call(String typeTag, byte[] request) {
        Objects.requireNonNull(request, "request");
        if (Objects.requireNonNull(typeTag, "typeTag").indexOf('\0') >= 0) {
            throw new IllegalArgumentException("type tag contains NUL: " + typeTag.replace('\0', '?'));
        }
        LogSink caller = enter();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tag = a.allocateFrom(typeTag);
            MemorySegment req = request.length == 0 ? MemorySegment.NULL : a.allocateFrom(JAVA_BYTE, request);
            long len = request.length;
            MemorySegment ret = invoke(() -> (MemorySegment) lib.call.invokeExact((SegmentAllocator) a, handle, tag, req, len),
                    lib, "plugin_call");
            Returned r = Returned.ffiBuffer(ret);
            byte[] response = take(r, typeTag, 0, COPY);
            return Envelope.payload(response, r.errorCode(), typeTag);
        } finally {
            exit(caller);
        }
    }

    /**
     * As {@link #call(String, byte[])}, with the request and the payload as JSON text; throws as it does.
     *
     * @param typeTag the message type, such as {@code "echo"}
     * @param requestJson the request, JSON
     * @return the payload of the success envelope, as text
     */
    public String call(String typeTag, String requestJson) {
        return new String(call(typeTag, requestJson.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /**
     * A call through the binary transport; the response is copied out, then freed with {@code
     * rb_response_free}.
     *
     * @param messageId the message's number in the binary transport
     * @param request the request struct's bytes ({@link MemorySegment#NULL} for none); a heap
     *     segment is copied to native memory first
     * @return the response's bytes, copied out; the response is already freed
     * @throws PluginException if the response has a non-zero error code (its data is the message)
     * @throws FfiProtocolException if the response is malformed (quarantined)
     * @throws IllegalStateException if the plugin is closed
     */
    public byte[] callRaw(int messageId, MemorySegment request) {
        return callRaw(messageId, request, COPY);
    }

    /**
     * A binary call whose response is read in place, without a copy, then freed with {@code
     * rb_response_free}, also when the reader throws.
     *
     * @param <T> what the reader makes of the response
     * @param messageId the message's number in the binary transport
     * @param request the request struct's bytes ({@link MemorySegment#NULL} for none)
     * @param reader reads the response; its segment is read-only and valid only during the call
     *     to the reader, on this thread (afterwards any access throws {@link IllegalStateException})
     * @return what the reader returned
     * @throws PluginException if the response has a non-zero error code; the reader is not called
     * @throws FfiProtocolException if the response is malformed (quarantined); the reader is not called
     * @throws IllegalStateException if the plugin is closed
     */
    public <T> T callRaw(int messageId, MemorySegment request, Function<? super MemorySegment, ? extends T> reader) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reader, "reader");
        LogSink caller = enter();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment req = request.isNative() || request.byteSize() == 0 ? request
                    : a.allocate(request.byteSize()).copyFrom(request);
            long size = request.byteSize();
            MemorySegment ret = invoke(() -> (MemorySegment) lib.callRaw.invokeExact((SegmentAllocator) a, handle, messageId,
                    req, size), lib, "plugin_call_raw");
            Returned r = Returned.rbResponse(ret);
            if (r.errorCode() != 0 && r.defect() == null) {
                byte[] message = take(r, null, messageId, COPY);
                throw FfiErrors.rawError(r.errorCode(), message);
            }
            return take(r, null, messageId, reader);
        } finally {
            exit(caller);
        }
    }

    /**
     * The plugin's state from {@code plugin_get_state}; after {@link #close()}, the host's own:
     * {@link PluginState#STOPPING} until the shutdown ran, then {@link PluginState#STOPPED}, or
     * {@link PluginState#FAILED} if {@code plugin_shutdown} returned false.
     *
     * @return the state
     */
    public PluginState state() {
        PluginState closed = closedState.get();
        if (closed != null || !gate.tryEnter()) {
            return closed != null ? closed : PluginState.STOPPING;
        }
        LogSink caller = lib.log.route(sink);
        try {
            byte code = invoke(() -> (byte) lib.getState.invokeExact(handle), lib, "plugin_get_state");
            return PluginState.of(Byte.toUnsignedInt(code));
        } finally {
            exit(caller);
        }
    }

    /**
     * Sets the plugin's log level.
     *
     * @param level the new level
     * @throws IllegalStateException if the plugin is closed
     */
    public void setLogLevel(LogLevel level) {
        LogSink caller = enter();
        try {
            byte b = (byte) level.code();
            invoke(() -> {
                lib.setLogLevel.invokeExact(handle, b);
                return null;
            }, lib, "plugin_set_log_level");
        } finally {
            exit(caller);
        }
    }

    /**
     * Response buffers of this plugin adopted and not yet freed: 0 whenever no call is in flight.
     *
     * @return the count
     */
    public long outstandingBuffers() {
        return outstanding.sum();
    }

    /**
     * How many malformed buffers this plugin returned; they were quarantined, never freed.
     *
     * @return the count
     */
    public long quarantinedCount() {
        return quarantine.count();
    }

    /**
     * The first {@value Quarantine#KEPT} quarantined buffers, for the report.
     *
     * @return the buffers, a copy
     */
    public List<QuarantinedBuffer> quarantinedBuffers() {
        return quarantine.kept();
    }

    /**
     * Exceptions, errors included, that the log sinks of this library's plugins threw, on records
     * and on the host's shutdown report: they never reach native code and never escape {@link
     * #close()} or a call.
     *
     * @return the count
     */
    public long logSinkFailures() {
        return lib.log.sinkFailures();
    }

    /**
     * The last exception the log sink threw, or null.
     *
     * @return the exception, or null
     */
    public Throwable lastLogSinkFailure() {
        return lib.log.lastSinkFailure();
    }

    /**
     * Log records delivered to a sink, for this library.
     *
     * @return the count
     */
    public long logRecordsDelivered() {
        return lib.log.delivered();
    }

    /**
     * Log records that arrived while no plugin of this library was open, and were dropped.
     *
     * @return the count
     */
    public long logRecordsDropped() {
        return lib.log.dropped();
    }

    /**
     * Calls in flight now.
     *
     * @return the count
     */
    public long callsInFlight() {
        return gate.inFlight();
    }

    /**
     * Plugin objects orphaned by a {@code plugin_init} that returned NULL, in this JVM, all libraries.
     *
     * @return the count
     */
    public static long orphanedObjects() {
        return PluginLibrary.allOrphans();
    }

    /**
     * Why {@code plugin_shutdown} failed, if it threw; null otherwise.
     *
     * @return what it threw, or null
     */
    public Throwable shutdownFailure() {
        return shutdownFailure;
    }

    /**
     * Refuses new calls at once. If no call is in flight, shuts the plugin down now; otherwise the
     * last call in flight does as it returns (so this may return before the shutdown). The shutdown
     * detaches the sink and completes whatever the sink throws on its quarantine report (counted in
     * {@link #logSinkFailures()}); the call that runs it keeps its own answer. Idempotent.
     */
    @Override
    public void close() {
        if (closedState.compareAndSet(null, PluginState.STOPPING) && gate.close()) {
            shutdown();
        }
    }

    @Override
    public String toString() {
        return "NativePlugin[" + lib.name + ", " + (closedState.get() == null ? "open" : closedState.get())
                + ", " + outstanding.sum() + " outstanding, " + quarantine.count() + " quarantined]";
    }

    // ---- internals -----------------------------------------------------------------------------

    /**
     * Counts a call in and routes this thread's log records to this plugin's sink.
     *
     * @return the sink this thread's records went to before, for {@link #exit}
     */
    private LogSink enter() {
        if (!gate.tryEnter()) {
            throw FfiErrors.closed(lib.name);
        }
        return lib.log.route(sink);
    }

    private void exit(LogSink caller) {
        try {
            if (gate.exit()) {
                shutdown();
            }
        } finally {
            lib.log.unroute(caller);
        }
    }

    /**
     * Runs once, with no call in flight. Completes whatever the sink throws: a call in flight that
     * runs it keeps its own answer.
     */
    private void shutdown() {
        LogSink caller = lib.log.route(sink);
        try {
            boolean ok;
            try {
                ok = (boolean) lib.shutdown.invokeExact(handle);
            } catch (Throwable t) {
                shutdownFailure = t;
                ok = false;
            }
            closedState.set(ok ? PluginState.STOPPED : PluginState.FAILED);
            if (quarantine.count() > 0) {
                reportQuarantine();
            }
        } finally {
            lib.log.detach(sink);
            lib.log.unroute(caller);
        }
    }

    /** The quarantine report, to the sink; it stays available through quarantinedBuffers(). */
    private void reportQuarantine() {
        try {
            sink.log(LogLevel.WARN, "custody", FfiErrors.quarantineReport(lib.name, quarantine.count(), quarantine.kept()));
        } catch (Throwable t) { // an Error too: as in the log callback, the sink may not break the shutdown
            lib.log.sinkFailed(t);
        }
    }

    /**
     * Validates, adopts, reads and frees one response buffer. The read happens with the buffer
     * adopted as a block of the plugin's heap, and the free runs on every path.
     *
     * @param typeTag the call's type tag, for an {@code FfiBuffer}
     * @param messageId the call's message id, for an {@code RbResponse}
     */
    private <T> T take(Returned r, String typeTag, int messageId, Function<? super MemorySegment, ? extends T> reader) {
        String defect = r.defect();
        if (defect != null) {
            throw quarantine.add(r, FfiErrors.function(r.raw(), typeTag, messageId), defect);
        }
        if (r.empty()) {
            return reader.apply(EMPTY);
        }
        if (r.zeroCapacity()) {
            try {
                return reader.apply(EMPTY);
            } finally {
                lib.allocator.freeUnadopted(r);
            }
        }
        Block b;
        try {
            b = lib.adopter.adopt(r.data(), r.len(), r.raw() ? PluginLibrary.RESPONSE : PluginLibrary.BUFFER,
                    lib.allocator.releaser(r));
        } catch (RuntimeException e) {
            throw quarantine.add(r, FfiErrors.function(r.raw(), typeTag, messageId),
                    "custody refused to adopt it: " + e.getMessage());
        }
        outstanding.increment();
        try {
            return reader == COPY ? copyOut(b) : reader.apply(b.segment().asReadOnly());
        } finally {
            try {
                b.free(); // refused (DoubleFreeException) if the reader freed the block through the heap
            } finally {
                outstanding.decrement();
            }
        }
    }

    /**
     * The copy-out of {@link #COPY}, without the block's confined arena (about 11 ns a call): the
     * segment never leaves this method, and the block is held until the copy is done.
     */
    @SuppressWarnings("unchecked")
    private static <T> T copyOut(Block b) {
        return (T) MemorySegment.ofAddress(b.address()).reinterpret(b.byteSize()).toArray(JAVA_BYTE);
    }

    @FunctionalInterface
    private interface Downcall<T> {
        T run() throws Throwable;
    }

    private static <T> T invoke(Downcall<T> d, PluginLibrary lib, String function) {
        try {
            return d.run();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(function + " of plugin '" + lib.name + "' failed", t);
        }
    }
}
