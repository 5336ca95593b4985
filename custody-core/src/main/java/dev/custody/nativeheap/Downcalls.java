package dev.custody.nativeheap;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Symbol lookup and downcall handles, with errors that name the library and the symbol. */
final class Downcalls {
    static final Linker LINKER = Linker.nativeLinker();

    private Downcalls() {
    }

    static MemorySegment symbol(SymbolLookup lookup, String library, String name) {
        return lookup.find(name).orElseThrow(() -> new IllegalArgumentException(
                "symbol '" + name + "' not found in " + library));
    }

    static MethodHandle handle(MemorySegment symbol, FunctionDescriptor fd, boolean critical) {
        return critical ? LINKER.downcallHandle(symbol, fd, Linker.Option.critical(false))
                : LINKER.downcallHandle(symbol, fd);
    }
}
