package dev.custody;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Raw downcalls for tests: foreign libraries allocating, and native code freeing. */
final class Natives {
    private static final Linker L = Linker.nativeLinker();
    private static final SymbolLookup SQLITE = SymbolLookup.libraryLookup("libsqlite3.so.0", Arena.global());
    private static final SymbolLookup MI = SymbolLookup.libraryLookup("libmimalloc.so.2", Arena.global());
    static final MethodHandle STRDUP = L.downcallHandle(L.defaultLookup().find("strdup").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
    static final MethodHandle MPRINTF = L.downcallHandle(SQLITE.find("sqlite3_mprintf").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(1));
    static final MethodHandle MI_FREE = L.downcallHandle(MI.find("mi_free").orElseThrow(),
            FunctionDescriptor.ofVoid(JAVA_LONG));
    static final MethodHandle MI_MALLOC = L.downcallHandle(MI.find("mi_malloc").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
    static final MethodHandle SQLITE_FREE = L.downcallHandle(SQLITE.find("sqlite3_free").orElseThrow(),
            FunctionDescriptor.ofVoid(JAVA_LONG));
    static final MethodHandle LIBC_FREE = L.downcallHandle(L.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(JAVA_LONG));

    static final MethodHandle SQLITE_HARD_LIMIT = L.downcallHandle(SQLITE.find("sqlite3_hard_heap_limit64").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));

    private Natives() {
    }

    /** Sets SQLite's hard heap limit (0: none) and returns the previous one. */
    static long sqliteHardHeapLimit(long limit) {
        try {
            return (long) SQLITE_HARD_LIMIT.invokeExact(limit);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long strdup(String s) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            return (long) STRDUP.invokeExact(a.allocateFrom(s));
        }
    }

    static long sqliteMprintf(String fmt, int arg) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            return (long) MPRINTF.invokeExact(a.allocateFrom(fmt), arg);
        }
    }
}
