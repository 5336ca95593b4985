package dev.custody.nativeheap.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Symbol lookup and downcall handles, with errors that name the library and the symbol. For custody-core only. */
public final class Downcalls {
    public static final Linker LINKER = Linker.nativeLinker();
    /**
     * From this size on, a free or realloc goes through a non-critical downcall: glibc serves such
     * blocks with mmap (its default mmap threshold), so their free is an munmap, which takes long
     * enough to hold up safepoints, and the GC with them, under a critical call. Measured (20 frees
     * of touched 512 MiB blocks, a safepoint requested every millisecond): 20 safepoint syncs over
     * 10 ms, the longest 77 ms, as critical calls; 1 without.
     */
    public static final long LARGE = 128 * 1024;

    private Downcalls() {
    }

    public static MemorySegment symbol(SymbolLookup lookup, String library, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException(
                "symbol '" + name + "' not found in " + library));
    }

    /** Whether a free or realloc of this many bytes must be a non-critical call. */
    public static boolean large(long size) {
        return size >= LARGE;
    }

    public static MethodHandle handle(MemorySegment symbol, FunctionDescriptor fd, boolean critical) {
        return critical ? LINKER.downcallHandle(symbol, fd, Linker.Option.critical(false))
                : LINKER.downcallHandle(symbol, fd);
    }

    /** What a downcall threw, unchecked: runtime exceptions and errors as they are, the rest wrapped. */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
