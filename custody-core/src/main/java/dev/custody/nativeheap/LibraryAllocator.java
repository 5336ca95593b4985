package dev.custody.nativeheap;

import dev.custody.Tag;
import dev.custody.nativeheap.internal.Downcalls;

import java.lang.invoke.MethodHandle;
import java.util.function.ToIntFunction;

/** An allocator made of a library's symbols, as described by a {@link NativeHeapBuilder}. */
final class LibraryAllocator implements NativeAllocator {
    private final String description;
    private final MethodHandle allocate;  // (long|int size[, int hint]) -> long
    private final SizeType sizeType;
    private final ToIntFunction<Tag> hint; // null: the allocate function takes no hint
    private final MethodHandle free;      // (long) -> void
    private final MethodHandle freeLarge; // the same, never critical (see Downcalls.LARGE)
    private final long freeAddress;
    private final MethodHandle aligned;   // (long alignment, long size) -> long, or null
    private final MethodHandle realloc;   // (long, long|int) -> long, or null
    private final MethodHandle reallocLarge; // the same, never critical, or null
    private final MethodHandle usable;    // (long) -> long, or null

    LibraryAllocator(String description, MethodHandle allocate, SizeType sizeType, ToIntFunction<Tag> hint,
                     MethodHandle free, MethodHandle freeLarge, long freeAddress, MethodHandle aligned,
                     MethodHandle realloc, MethodHandle reallocLarge, MethodHandle usable) {
        this.description = description;
        this.allocate = allocate;
        this.sizeType = sizeType;
        this.hint = hint;
        this.free = free;
        this.freeLarge = freeLarge;
        this.freeAddress = freeAddress;
        this.aligned = aligned;
        this.realloc = realloc;
        this.reallocLarge = reallocLarge;
        this.usable = usable;
    }

    @Override
    public long allocate(long size, Tag tag) {
        if (allocate == null) {
            throw new UnsupportedOperationException(description + " has no allocate function; adopt memory into it");
        }
        try {
            if (sizeType == SizeType.INT) {
                return hint == null ? (long) allocate.invokeExact((int) size)
                        : (long) allocate.invokeExact((int) size, hint.applyAsInt(tag));
            }
            return hint == null ? (long) allocate.invokeExact(size)
                    : (long) allocate.invokeExact(size, hint.applyAsInt(tag));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public void free(long address) {
        try {
            free.invokeExact(address);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public void free(long address, long size) {
        try {
            (Downcalls.large(size) ? freeLarge : free).invokeExact(address);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public Object freeIdentity() {
        return freeAddress;
    }

    @Override
    public long maxSize() {
        return sizeType == SizeType.INT ? Integer.MAX_VALUE : Long.MAX_VALUE;
    }

    @Override
    public boolean canAllocate() {
        return allocate != null;
    }

    @Override
    public boolean canAllocateAligned() {
        return aligned != null;
    }

    @Override
    public long allocateAligned(long size, long alignment, Tag tag) {
        try {
            return (long) aligned.invokeExact(alignment, size);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public boolean canReallocate() {
        return realloc != null;
    }

    @Override
    public long reallocate(long address, long newSize) {
        return reallocate(realloc, address, newSize);
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize) {
        return reallocate(Downcalls.large(Math.max(oldSize, newSize)) ? reallocLarge : realloc, address, newSize);
    }

    private long reallocate(MethodHandle h, long address, long newSize) {
        try {
            return sizeType == SizeType.INT ? (long) h.invokeExact(address, (int) newSize)
                    : (long) h.invokeExact(address, newSize);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public long usableSize(long address) {
        if (usable == null) {
            return -1;
        }
        try {
            return (long) usable.invokeExact(address);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
