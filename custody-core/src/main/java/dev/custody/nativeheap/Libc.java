package dev.custody.nativeheap;

/** Access to the process allocator, for {@link dev.custody.Heaps#libc()}. */
public final class Libc {
    private Libc() {
    }

    /** The process's malloc family as a {@link NativeAllocator}. */
    public static NativeAllocator allocator() {
        return LibcAllocator.INSTANCE;
    }
}
