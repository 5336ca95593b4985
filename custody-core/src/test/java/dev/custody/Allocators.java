package dev.custody;

import dev.custody.nativeheap.SizeType;

/** The real allocators the tests run against. */
final class Allocators {
    private Allocators() {
    }

    static Heap mimalloc() {
        return Heaps.library("mimalloc", "libmimalloc.so.2", "mi_malloc", "mi_free");
    }

    /** SQLite's 64-bit allocator: {@code void* sqlite3_malloc64(sqlite3_uint64)}. */
    static Heap sqlite() {
        return Heaps.library("sqlite", "libsqlite3.so.0", "sqlite3_malloc64", "sqlite3_free");
    }

    /** SQLite's int-sized allocator, with realloc and msize: the same free function, so the same heap. */
    static Heap sqliteInt() {
        return Heaps.library("sqlite-int", "libsqlite3.so.0")
                .allocate("sqlite3_malloc", SizeType.INT)
                .reallocate("sqlite3_realloc")
                .usableSize("sqlite3_msize")
                .free("sqlite3_free")
                .build();
    }

    static void miFree(long address) {
        try {
            Natives.MI_FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static boolean soak() {
        return "soak".equals(System.getProperty("custody.tier", "fast"));
    }

    /** The fast-tier count, or the soak-tier count. */
    static int count(int fast, int soak) {
        return soak() ? soak : fast;
    }
}
