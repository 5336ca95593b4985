package dev.custody.debug;

import dev.custody.Heap;
import dev.custody.Heaps;

import java.lang.foreign.MemorySegment;
import java.util.stream.Stream;

/** The real allocators the debug heaps are tested over, and raw access that bypasses custody's bounds. */
final class Bases {
    private Bases() {
    }

    static Heap mimalloc() {
        return Heaps.library("mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_free");
    }

    static Stream<Heap> all() {
        return Stream.of(Heaps.libc(), mimalloc());
    }

    /** The bytes at {@code address}, unbounded: how native code overruns a block. */
    static MemorySegment raw(long address, long length) {
        return MemorySegment.ofAddress(address).reinterpret(length);
    }

    static boolean soak() {
        return "soak".equals(System.getProperty("custody.tier", "fast"));
    }
}
