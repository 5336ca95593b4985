package dev.custody.bench.ffi;

import dev.custody.ffi.NativePlugin;
import dev.custody.ffi.reference.ReferencePlugin;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A 1 KiB round trip through the reference plugin, including the copy out and the free, against
 * raw downcalls of the same functions plus the same copy (DESIGN.md, "Performance", FFI).
 *
 * <ul>
 *   <li>{@code call}: {@link NativePlugin#call(String, byte[])} of {@code echo} with a 1 KiB JSON
 *       string: request copied in, response validated, adopted into the plugin's heap, copied
 *       out, freed with {@code plugin_free_buffer}, envelope parsed with Jackson.</li>
 *   <li>{@code rawCall}: the same {@code plugin_call} and {@code plugin_free_buffer} downcalls,
 *       request copied in and response copied out the same way, with no validation, no custody
 *       and no envelope parsing.</li>
 *   <li>{@code callRaw} / {@code rawCallRaw}: the same pair for the binary transport ({@code
 *       plugin_call_raw}, {@code rb_response_free}) with a 1 KiB request already in native memory.</li>
 *   <li>{@code callRawInPlace}: the zero-copy reader, reading the response's first and last long.</li>
 * </ul>
 * Each benchmark returns what it read, so nothing is optimised away. Ratios: {@code call /
 * rawCall} and {@code callRaw / rawCallRaw}; targets ≤ 1.3, and a median ≤ 1 µs for {@code call}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class FfiRoundTripBenchmark {
    /** Made by JMH's generated code, once per benchmark (Scope.Benchmark). */
    public FfiRoundTripBenchmark() {
    }

    private static final int SIZE = 1024;
    private static final StructLayout FFI_BUFFER = MemoryLayout.structLayout(ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT,
            MemoryLayout.paddingLayout(4));
    private static final StructLayout RB_RESPONSE = MemoryLayout.structLayout(JAVA_INT, JAVA_INT, JAVA_INT,
            MemoryLayout.paddingLayout(4), ADDRESS);

    private NativePlugin plugin;
    /** A JSON string of 1 KiB, quotes included. */
    private byte[] jsonRequest;
    private MemorySegment rawRequest;

    private MethodHandle pluginCall;
    private MethodHandle pluginFreeBuffer;
    private MethodHandle pluginCallRaw;
    private MethodHandle rbResponseFree;
    private MethodHandle pluginShutdown;
    private MemorySegment rawHandle;
    private long liveBefore;

    /**
     * Loads the reference plugin through custody, fills the 1 KiB requests, and binds the raw
     * downcalls to a second plugin instance of the same library.
     *
     * @throws Throwable if the library or one of its symbols cannot be found, or a downcall fails
     */
    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        liveBefore = ReferencePlugin.liveBuffers();
        plugin = NativePlugin.load(ReferencePlugin.path(), null, null);
        jsonRequest = ("\"" + "x".repeat(SIZE - 2) + "\"").getBytes(StandardCharsets.UTF_8);
        rawRequest = Arena.global().allocate(SIZE);
        for (int i = 0; i < SIZE; i++) {
            rawRequest.set(JAVA_BYTE, i, (byte) i);
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup lib = SymbolLookup.libraryLookup(ReferencePlugin.path(), Arena.global());
        pluginCall = linker.downcallHandle(lib.find("plugin_call").orElseThrow(),
                FunctionDescriptor.of(FFI_BUFFER, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
        pluginFreeBuffer = linker.downcallHandle(lib.find("plugin_free_buffer").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
        pluginCallRaw = linker.downcallHandle(lib.find("plugin_call_raw").orElseThrow(),
                FunctionDescriptor.of(RB_RESPONSE, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
        rbResponseFree = linker.downcallHandle(lib.find("rb_response_free").orElseThrow(), FunctionDescriptor.ofVoid(ADDRESS));
        pluginShutdown = linker.downcallHandle(lib.find("plugin_shutdown").orElseThrow(),
                FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_BOOLEAN, ADDRESS));
        MethodHandle create = linker.downcallHandle(lib.find("plugin_create").orElseThrow(), FunctionDescriptor.of(ADDRESS));
        MethodHandle init = linker.downcallHandle(lib.find("plugin_init").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
        MemorySegment object = (MemorySegment) create.invokeExact();
        rawHandle = (MemorySegment) init.invokeExact(object, MemorySegment.NULL, 0L, MemorySegment.NULL);
    }

    /**
     * Closes both plugin instances and checks that every buffer went home.
     *
     * @throws IllegalStateException if custody still counts an outstanding buffer, or the plugin's own
     *     live-buffer count is not back where it was
     * @throws Throwable if the raw shutdown downcall fails
     */
    @TearDown(Level.Trial)
    public void tearDown() throws Throwable {
        plugin.close();
        boolean ok = (boolean) pluginShutdown.invokeExact(rawHandle);
        if (!ok || plugin.outstandingBuffers() != 0 || ReferencePlugin.liveBuffers() != liveBefore) {
            throw new IllegalStateException("buffers left: outstanding " + plugin.outstandingBuffers()
                    + ", plugin_live_buffers " + ReferencePlugin.liveBuffers() + " (before: " + liveBefore + ")");
        }
    }

    /**
     * A JSON round trip through custody: {@code echo} of the 1 KiB string.
     *
     * @return the response's result, copied to the Java heap
     * @throws dev.custody.ffi.PluginException if the plugin answers with an error envelope (echo does not)
     */
    @Benchmark
    public byte[] call() {
        return plugin.call("echo", jsonRequest);
    }

    /**
     * The same JSON round trip with raw downcalls: request in, response copied out, freed; no
     * validation, custody or envelope parsing.
     *
     * @return the response's bytes, copied to the Java heap
     * @throws Throwable if a downcall fails
     */
    @Benchmark
    public byte[] rawCall() throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment tag = a.allocateFrom("echo");
            MemorySegment req = a.allocateFrom(JAVA_BYTE, jsonRequest);
            MemorySegment ret = (MemorySegment) pluginCall.invokeExact((SegmentAllocator) a, rawHandle, tag, req,
                    (long) jsonRequest.length);
            byte[] out = MemorySegment.ofAddress(ret.get(JAVA_LONG, 0)).reinterpret(ret.get(JAVA_LONG, 8))
                    .toArray(JAVA_BYTE);
            pluginFreeBuffer.invokeExact(ret);
            return out;
        }
    }

    /**
     * A binary round trip through custody, the request already in native memory.
     *
     * @return the response, copied to the Java heap
     * @throws dev.custody.ffi.PluginException if the plugin answers with an error envelope (echo does not)
     */
    @Benchmark
    public byte[] callRaw() {
        return plugin.callRaw(ReferencePlugin.ECHO, rawRequest);
    }

    /**
     * A binary round trip through custody, the response read in place (no copy).
     *
     * @return the response's first and last long, combined
     * @throws dev.custody.ffi.PluginException if the plugin answers with an error envelope (echo does not)
     */
    @Benchmark
    public long callRawInPlace() {
        return plugin.callRaw(ReferencePlugin.ECHO, rawRequest,
                s -> s.get(JAVA_LONG, 0) ^ s.get(JAVA_LONG, s.byteSize() - 8));
    }

    /**
     * The same binary round trip with raw downcalls, response copied out and freed.
     *
     * @return the response, copied to the Java heap
     * @throws Throwable if a downcall fails
     */
    @Benchmark
    public byte[] rawCallRaw() throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ret = (MemorySegment) pluginCallRaw.invokeExact((SegmentAllocator) a, rawHandle,
                    ReferencePlugin.ECHO, rawRequest, (long) SIZE);
            byte[] out = MemorySegment.ofAddress(ret.get(JAVA_LONG, 16)).reinterpret(Integer.toUnsignedLong(ret.get(JAVA_INT, 4)))
                    .toArray(JAVA_BYTE);
            rbResponseFree.invokeExact(ret);
            return out;
        }
    }
}
