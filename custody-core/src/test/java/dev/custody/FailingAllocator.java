package dev.custody;

import dev.custody.nativeheap.NativeAllocator;
import dev.custody.nativeheap.internal.Libc;

/**
 * libc's malloc and free, with a free that throws while {@link #failing} is set, and a realloc
 * that returns NULL while {@link #reallocFails} is set: the failure paths, on real memory. Its
 * identity is its own, so each instance is a heap of its own.
 */
public final class FailingAllocator implements NativeAllocator {
    private static final NativeAllocator LIBC = Libc.allocator();

    public volatile boolean failing;
    public volatile boolean reallocFails;
    /** Frees that reached libc. */
    public volatile int frees;

    @Override
    public long allocate(long size, Tag tag) {
        return LIBC.allocate(size, tag);
    }

    @Override
    public void free(long address) {
        if (failing) {
            throw new IllegalStateException("injected free failure");
        }
        frees++;
        LIBC.free(address);
    }

    @Override
    public boolean canReallocate() {
        return true;
    }

    @Override
    public long reallocate(long address, long newSize) {
        return reallocFails ? 0 : LIBC.reallocate(address, newSize);
    }

    @Override
    public Object freeIdentity() {
        return this;
    }
}
