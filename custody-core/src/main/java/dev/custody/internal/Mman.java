package dev.custody.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Linux {@code mmap}, {@code mprotect} and {@code munmap} through FFM, for reserved address space. */
final class Mman {
    private static final int PROT_NONE = 0;
    private static final int PROT_READ_WRITE = 1 | 2;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final long MAP_FAILED = -1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(java.lang.foreign.MemoryLayout.PathElement
            .groupElement("errno"));
    private static final MethodHandle MMAP = errnoHandle("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = errnoHandle("mprotect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = errnoHandle("munmap",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    static final long PAGE = pageSize();

    private Mman() {
    }

    private static MethodHandle errnoHandle(String name, FunctionDescriptor fd) {
        MemorySegment sym = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException(name + " is not in this libc"));
        return LINKER.downcallHandle(sym, fd, Linker.Option.captureCallState("errno"));
    }

    private static long pageSize() {
        MemorySegment sym = LINKER.defaultLookup().find("getpagesize").orElseThrow();
        try {
            return (int) LINKER.downcallHandle(sym, FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (Throwable t) {
            throw new ExceptionInInitializerError(t);
        }
    }

    /** Reserves {@code bytes} of address space, inaccessible and uncommitted; 0 if the kernel refused. */
    static long reserve(long bytes) {
        return map(0, bytes, 0);
    }

    /**
     * Makes pages read-write; they become resident only when touched.
     *
     * @return 0, or the errno of a refusal (such as ENOMEM)
     */
    static int commit(long address, long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(CAPTURE);
            int r = (int) MPROTECT.invokeExact(errno, MemorySegment.ofAddress(address), bytes, PROT_READ_WRITE);
            return r == 0 ? 0 : (int) ERRNO.get(errno, 0L);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Drops pages and their commit at once: a fresh inaccessible mapping over the same range. */
    static void decommit(long address, long bytes) {
        if (map(address, bytes, MAP_FIXED) != address) {
            throw new IllegalStateException("mmap(MAP_FIXED) over 0x" + Long.toHexString(address) + " failed");
        }
    }

    static void unmap(long address, long bytes) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(CAPTURE);
            int r = (int) MUNMAP.invokeExact(errno, MemorySegment.ofAddress(address), bytes);
            if (r != 0) {
                throw failure("munmap of " + bytes + " B at 0x" + Long.toHexString(address), errno);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long map(long address, long bytes, int extraFlags) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = a.allocate(CAPTURE);
            MemorySegment r = (MemorySegment) MMAP.invokeExact(errno, MemorySegment.ofAddress(address), bytes,
                    PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | extraFlags, -1, 0L);
            return r.address() == MAP_FAILED ? 0 : r.address();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static IllegalStateException failure(String what, MemorySegment errno) {
        return new IllegalStateException(what + " failed: errno " + (int) ERRNO.get(errno, 0L));
    }
}
