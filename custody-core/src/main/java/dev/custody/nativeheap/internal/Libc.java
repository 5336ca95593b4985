package dev.custody.nativeheap.internal;

import dev.custody.nativeheap.NativeAllocator;

/** Access to the process allocator, for {@link dev.custody.Heaps#libc()}; not exported. */
public final class Libc {
    private Libc() {
    }

    /** The process's malloc family as a {@link NativeAllocator}. */
    public static NativeAllocator allocator() {
        return LibcAllocator.INSTANCE;
    }
}
