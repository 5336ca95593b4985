package dev.custody.bench;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Tag;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One allocate, write, read, free cycle per allocator, the same work for each: a long is written at
 * each end of the block through the allocator's own view (segment, ByteBuf, ArrowBuf) and both are
 * read back, so that no allocator can skip or defer the memory. Each cycle returns what it read,
 * {@code stamp + ~stamp}, which is -1 whatever the stamp; a caller that needs a check can test that.
 *
 * <p>Sizes must be multiples of 8, at least 16, so that the two longs do not overlap.
 */
final class Cycles {
    private Cycles() {
    }

    /** custody: allocate from the heap, take the owner's segment, free. */
    static long custody(Heap heap, Tag tag, long size, long stamp) {
        Block b = heap.allocate(size, tag);
        long r = touch(b.segment(), size, stamp);
        b.free();
        return r;
    }

    /** {@code Arena.ofConfined()}: one arena per block, allocate (zeroed) and close. */
    static long confinedArena(long size, long stamp) {
        try (Arena arena = Arena.ofConfined()) {
            return touch(arena.allocate(size), size, stamp);
        }
    }

    /** Netty: a direct buffer from the allocator, released. */
    static long netty(ByteBufAllocator allocator, long size, long stamp) {
        int n = (int) size;
        ByteBuf buf = allocator.directBuffer(n, n);
        buf.setLong(0, stamp);
        buf.setLong(n - 8, ~stamp);
        long r = buf.getLong(0) + buf.getLong(n - 8);
        buf.release();
        return r;
    }

    /** Arrow: a buffer from the allocator, closed. */
    static long arrow(BufferAllocator allocator, long size, long stamp) {
        ArrowBuf buf = allocator.buffer(size);
        buf.setLong(0, stamp);
        buf.setLong(size - 8, ~stamp);
        long r = buf.getLong(0) + buf.getLong(size - 8);
        buf.close();
        return r;
    }

    static long touch(MemorySegment s, long size, long stamp) {
        s.set(JAVA_LONG, 0, stamp);
        s.set(JAVA_LONG, size - 8, ~stamp);
        return s.get(JAVA_LONG, 0) + s.get(JAVA_LONG, size - 8);
    }

    /**
     * Raw FFM downcalls to the process's {@code malloc} and {@code free}, pointers as {@code long}
     * as custody's libc allocator passes them. A record, so that the JIT trusts its handles as
     * constants when the instance is a constant.
     */
    record RawLibc(MethodHandle malloc, MethodHandle free) {
        static final RawLibc PLAIN = of();
        /** As custody's libc heap calls them: critical, no thread-state transition. */
        static final RawLibc CRITICAL = of(Linker.Option.critical(false));

        private static RawLibc of(Linker.Option... options) {
            Linker linker = Linker.nativeLinker();
            MemorySegment malloc = linker.defaultLookup().findOrThrow("malloc");
            MemorySegment free = linker.defaultLookup().findOrThrow("free");
            return new RawLibc(linker.downcallHandle(malloc, FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), options),
                    linker.downcallHandle(free, FunctionDescriptor.ofVoid(JAVA_LONG), options));
        }

        long cycle(long size, long stamp) throws Throwable {
            long address = (long) malloc.invokeExact(size);
            if (address == 0) {
                throw new OutOfMemoryError("malloc(" + size + ") returned NULL");
            }
            long r = touch(MemorySegment.ofAddress(address).reinterpret(size), size, stamp);
            free.invokeExact(address);
            return r;
        }
    }
}
