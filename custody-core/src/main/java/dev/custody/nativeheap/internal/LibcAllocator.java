package dev.custody.nativeheap.internal;

import dev.custody.Tag;
import dev.custody.nativeheap.NativeAllocator;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The process's malloc, free, realloc, aligned_alloc and malloc_usable_size, through static final
 * handles (constants to the JIT). Pointers travel as {@code long}, which the LP64 C ABI passes
 * exactly as {@code void*}. The calls are marked critical: these are short leaf functions that
 * never call back into Java, so the thread-state transition is skipped. Except for a free or
 * realloc of {@value Downcalls#LARGE} B or more: glibc maps such blocks, and unmapping them takes
 * long enough to hold up safepoints, so those go through ordinary downcalls (as the JDK's Javadoc
 * of {@code Linker.Option.critical} asks).
 */
final class LibcAllocator implements NativeAllocator {
    static final LibcAllocator INSTANCE = new LibcAllocator();

    private static final SymbolLookup LIBC = Linker.nativeLinker().defaultLookup();
    static final MemorySegment FREE_SYMBOL = Downcalls.symbol(LIBC, "libc", "free");
    private static final MethodHandle MALLOC = Downcalls.handle(Downcalls.symbol(LIBC, "libc", "malloc"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), true);
    private static final MethodHandle FREE = Downcalls.handle(FREE_SYMBOL,
            FunctionDescriptor.ofVoid(JAVA_LONG), true);
    private static final MethodHandle FREE_LARGE = Downcalls.handle(FREE_SYMBOL,
            FunctionDescriptor.ofVoid(JAVA_LONG), false);
    private static final MemorySegment REALLOC_SYMBOL = Downcalls.symbol(LIBC, "libc", "realloc");
    private static final MethodHandle REALLOC = Downcalls.handle(REALLOC_SYMBOL,
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), true);
    private static final MethodHandle REALLOC_LARGE = Downcalls.handle(REALLOC_SYMBOL,
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), false);
    private static final MethodHandle ALIGNED_ALLOC = Downcalls.handle(
            Downcalls.symbol(LIBC, "libc", "aligned_alloc"), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG), true);
    private static final MethodHandle USABLE_SIZE = Downcalls.handle(
            Downcalls.symbol(LIBC, "libc", "malloc_usable_size"), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), true);

    private LibcAllocator() {
    }

    @Override
    public long allocate(long size, Tag tag) {
        try {
            return (long) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public void free(long address) {
        try {
            FREE.invokeExact(address);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public void free(long address, long size) {
        try {
            if (Downcalls.large(size)) {
                FREE_LARGE.invokeExact(address);
            } else {
                FREE.invokeExact(address);
            }
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The handle a free of this size takes, for tests: critical below {@value Downcalls#LARGE} B. */
    static MethodHandle freeHandle(long size) {
        return Downcalls.large(size) ? FREE_LARGE : FREE;
    }

    @Override
    public Object freeIdentity() {
        return FREE_SYMBOL.address();
    }

    @Override
    public boolean canAllocateAligned() {
        return true;
    }

    @Override
    public long allocateAligned(long size, long alignment, Tag tag) {
        try {
            return (long) ALIGNED_ALLOC.invokeExact(alignment, size);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public boolean canReallocate() {
        return true;
    }

    @Override
    public long reallocate(long address, long newSize) {
        try {
            return (long) REALLOC.invokeExact(address, newSize);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize) {
        try {
            return Downcalls.large(Math.max(oldSize, newSize)) ? (long) REALLOC_LARGE.invokeExact(address, newSize)
                    : (long) REALLOC.invokeExact(address, newSize);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public long usableSize(long address) {
        try {
            return (long) USABLE_SIZE.invokeExact(address);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
