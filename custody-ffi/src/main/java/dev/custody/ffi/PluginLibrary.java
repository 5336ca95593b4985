package dev.custody.ffi;

import dev.custody.Adopter;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loaded plugin library: its ABI functions, its heap, its log callback. One per library for the
 * life of the JVM: a plugin library is never unloaded (it is looked up in {@link Arena#global()}),
 * because rustbridge's log callback is process-wide and may fire late.
 */
final class PluginLibrary {
    static final Tag BUFFER = Tag.of("plugin-buffer");
    static final Tag RESPONSE = Tag.of("plugin-response");

    /** By the address of plugin_free_buffer, so that two paths to one library are one library. */
    private static final ConcurrentHashMap<Long, PluginLibrary> LOADED = new ConcurrentHashMap<>();
    private static final AtomicLong ALL_ORPHANS = new AtomicLong();

    final String name;
    final MethodHandle create;
    final MethodHandle init;
    final MethodHandle call;
    final MethodHandle callRaw;
    final MethodHandle shutdown;
    final MethodHandle getState;
    final MethodHandle setLogLevel;
    final BufferAllocator allocator;
    final Heap heap;
    /** Adopts response buffers into {@link #heap} without a stack walk per call. */
    final Adopter adopter;
    final LogBridge log = new LogBridge();
    private final AtomicLong orphans = new AtomicLong();

    private PluginLibrary(String name, SymbolLookup lookup, Path path) {
        this.name = name;
        this.create = handle(lookup, path, "plugin_create", Abi.CREATE);
        this.init = handle(lookup, path, "plugin_init", Abi.INIT);
        this.call = handle(lookup, path, "plugin_call", Abi.CALL);
        this.callRaw = handle(lookup, path, "plugin_call_raw", Abi.CALL_RAW);
        this.shutdown = handle(lookup, path, "plugin_shutdown", Abi.SHUTDOWN);
        this.getState = handle(lookup, path, "plugin_get_state", Abi.GET_STATE);
        this.setLogLevel = handle(lookup, path, "plugin_set_log_level", Abi.SET_LOG_LEVEL);
        MemorySegment freeBufferSymbol = symbol(lookup, path, "plugin_free_buffer");
        this.allocator = new BufferAllocator(name, freeBufferSymbol,
                Linker.nativeLinker().downcallHandle(freeBufferSymbol, Abi.FREE),
                handle(lookup, path, "rb_response_free", Abi.FREE));
        this.heap = Heaps.of(name, allocator);
        this.adopter = Heaps.adopter(heap);
    }

    /**
     * The library at {@code path}, loaded once.
     *
     * @throws IllegalArgumentException if the file is missing, cannot be loaded, or lacks an ABI symbol
     */
    static PluginLibrary of(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("plugin library " + path + " does not exist or is not a file");
        }
        SymbolLookup lookup = SymbolLookup.libraryLookup(path, Arena.global());
        long freeBuffer = symbol(lookup, path, "plugin_free_buffer").address();
        return LOADED.computeIfAbsent(freeBuffer, k -> new PluginLibrary(nameOf(path), lookup, path));
    }

    /** Counts an object that plugin_init orphaned. @return the library's count so far */
    long orphaned() {
        ALL_ORPHANS.incrementAndGet();
        return orphans.incrementAndGet();
    }

    long orphans() {
        return orphans.get();
    }

    static long allOrphans() {
        return ALL_ORPHANS.get();
    }

    /** {@code libfoo.so} is plugin {@code foo}. */
    private static String nameOf(Path path) {
        String f = path.getFileName().toString();
        f = f.startsWith("lib") ? f.substring(3) : f;
        int dot = f.indexOf(".so");
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private static MemorySegment symbol(SymbolLookup lookup, Path path, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException(
                "plugin library " + path + " does not export '" + name + "': it does not implement the plugin ABI"));
    }

    private static MethodHandle handle(SymbolLookup lookup, Path path, String name, FunctionDescriptor fd) {
        return Linker.nativeLinker().downcallHandle(symbol(lookup, path, name), fd);
    }
}
