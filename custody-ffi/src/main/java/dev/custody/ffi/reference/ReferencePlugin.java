package dev.custody.ffi.reference;

import dev.custody.ffi.LogLevel;
import dev.custody.nativeheap.internal.BundledLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The reference plugin that this module carries, built from {@code src/main/c} with gcc: its
 * file, its configs and its own counters, which are witnesses outside custody's books.
 *
 * <p>Handlers of {@code call}: {@code echo}, {@code reverse} (a JSON string), {@code sleep} (a
 * number of ms; logs from a thread of its own), {@code fail} (a code 1..13), {@code panic} (a
 * plain string with code 11), {@code big} (a number N: a JSON string of N {@code x}), {@code
 * late_log} (a number of ms: returns at once, and a detached thread logs that much later, maybe
 * after the plugin was shut down), {@code empty} (an error code 0..13: a buffer of capacity 0 with
 * non-NULL data, as {@code malloc(0)} gives, carrying that code), {@code verbatim} (the request
 * bytes as the whole response, not wrapped in an envelope). Messages of {@code callRaw}: {@link
 * #ECHO}, {@link #FAIL} and {@link #EMPTY}.
 *
 * <p>A test fixture, exported only to custody's own modules (the command line's {@code plugin}
 * scenario); the benchmarks reach it on the class path.
 *
 * <p>Its free functions free every non-NULL buffer it handed out, capacity 0 included, as a C
 * plugin whose buffers come from {@code malloc} does.
 */
public final class ReferencePlugin {
    /** {@code callRaw} message: the response is a copy of the request bytes. */
    public static final int ECHO = 1;
    /** {@code callRaw} message: fails with the code in the request's first little-endian int. */
    public static final int FAIL = 2;
    /**
     * {@code callRaw} message: a response of capacity 0 with non-NULL data, whose error code is the
     * request's first little-endian int (0 without one).
     */
    public static final int EMPTY = 3;

    private ReferencePlugin() {
    }

    /**
     * The library file, extracted once per JVM.
     *
     * @throws IllegalStateException if the native build did not run
     */
    public static Path path() {
        return BundledLibrary.path(ReferencePlugin.class, "native/libcustody_refplugin.so");
    }

    /** A config that logs from {@code level} up. */
    public static byte[] config(LogLevel level) {
        return ("{\"log_level\":" + level.code() + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A config whose plugin_init returns NULL. */
    public static byte[] failingInitConfig() {
        return "{\"fail_init\":true}".getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A config that makes every response malformed.
     *
     * @param defect {@code "len_over_capacity"}, {@code "null_data"} or {@code "absurd_len"}
     */
    public static byte[] malformedConfig(String defect) {
        return ("{\"malformed\":\"" + defect + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** Buffers the plugin handed out and that were not freed through its free functions (all instances). */
    public static long liveBuffers() {
        return Witness.get(Witness.LIVE_BUFFERS);
    }

    /** Objects made by plugin_create and not shut down, orphans included. */
    public static long liveObjects() {
        return Witness.get(Witness.LIVE_OBJECTS);
    }

    /** Frees of something the plugin did not hand out, or with a changed capacity. */
    public static long badFrees() {
        return Witness.get(Witness.BAD_FREES);
    }

    /**
     * The ABI structs as gcc laid them out from the header: sizeof, then the offsets of data, len,
     * capacity, error_code of {@code FfiBuffer}; sizeof, then the offsets of error_code, len,
     * capacity, data of {@code RbResponse}.
     */
    public static long[] abiLayout() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG, 10);
            Witness.LAYOUT.invokeExact(out);
            return out.toArray(JAVA_LONG);
        } catch (Throwable t) {
            throw new IllegalStateException("plugin_abi_layout failed", t);
        }
    }

    private static final class Witness {
        private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(path(), Arena.global());
        static final MethodHandle LIVE_BUFFERS = counter("plugin_live_buffers");
        static final MethodHandle LIVE_OBJECTS = counter("plugin_live_objects");
        static final MethodHandle BAD_FREES = counter("plugin_bad_frees");
        static final MethodHandle LAYOUT = Linker.nativeLinker().downcallHandle(
                LOOKUP.find("plugin_abi_layout").orElseThrow(), FunctionDescriptor.ofVoid(java.lang.foreign.ValueLayout.ADDRESS));

        private static MethodHandle counter(String name) {
            return Linker.nativeLinker().downcallHandle(LOOKUP.find(name).orElseThrow(), FunctionDescriptor.of(JAVA_LONG));
        }

        static long get(MethodHandle counter) {
            try {
                return (long) counter.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException("reference plugin counter failed", t);
            }
        }
    }
}
