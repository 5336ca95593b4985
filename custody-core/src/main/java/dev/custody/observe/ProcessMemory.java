package dev.custody.observe;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Witnesses of native memory that are not custody's own books: glibc's {@code mallinfo2()},
 * mimalloc's {@code mi_process_info()}, and the process's resident set.
 *
 * <p>{@code mallinfo2()} reports only glibc's main arena; a witness built on it is exact only in a
 * process started with {@code MALLOC_ARENA_MAX=1} (see {@link #singleArena()}).
 */
public final class ProcessMemory {
    private static final Linker LINKER = Linker.nativeLinker();
    /** struct mallinfo2: ten size_t fields. */
    private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
            JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
            JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
            JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
            JAVA_LONG.withName("keepcost"));
    private static final MethodHandle MALLINFO2_FN = LINKER.defaultLookup().find("mallinfo2")
            .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(MALLINFO2))).orElse(null);

    private ProcessMemory() {
    }

    /**
     * glibc's in-use bytes: {@code uordblks + hblkhd} of {@code mallinfo2()}.
     *
     * @return the bytes in use, in the main arena and in mmapped chunks
     * @throws UnsupportedOperationException if this libc has no mallinfo2 (not glibc 2.33+)
     */
    public static long mallinfoInUse() {
        if (MALLINFO2_FN == null) {
            throw new UnsupportedOperationException("mallinfo2 is not available in this libc");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment m = (MemorySegment) MALLINFO2_FN.invokeExact((java.lang.foreign.SegmentAllocator) a);
            return m.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks")))
                    + m.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd")));
        } catch (Throwable t) {
            throw new IllegalStateException("mallinfo2 failed", t);
        }
    }

    /**
     * Whether this process runs with one glibc arena, which makes {@link #mallinfoInUse()} exact.
     *
     * @return true when {@code MALLOC_ARENA_MAX=1}
     */
    public static boolean singleArena() {
        return "1".equals(System.getenv("MALLOC_ARENA_MAX"));
    }

    /**
     * The resident set size in bytes, from {@code /proc/self/statm}, or -1 if unreadable.
     *
     * @return the RSS in bytes, or -1
     */
    public static long rss() {
        try {
            String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(f[1]) * 4096L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * mimalloc's committed bytes from {@code mi_process_info}, if libmimalloc is loadable.
     *
     * @return the committed bytes, or empty when mimalloc cannot be loaded
     */
    public static Optional<Long> mimallocCommitted() {
        return Mimalloc.committed();
    }

    private static final class Mimalloc {
        private static final MethodHandle INFO;

        static {
            MethodHandle h = null;
            try {
                SymbolLookup l = SymbolLookup.libraryLookup("libmimalloc.so.2", Arena.global());
                // void mi_process_info(size_t* elapsed_msecs, size_t* user_msecs, size_t* system_msecs,
                //   size_t* current_rss, size_t* peak_rss, size_t* current_commit, size_t* peak_commit,
                //   size_t* page_faults)
                h = l.find("mi_process_info").map(s -> LINKER.downcallHandle(s, FunctionDescriptor.ofVoid(
                        JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG)))
                        .orElse(null);
            } catch (IllegalArgumentException e) {
                // not installed
            }
            INFO = h;
        }

        static Optional<Long> committed() {
            if (INFO == null) {
                return Optional.empty();
            }
            try (Arena a = Arena.ofConfined()) {
                MemorySegment out = a.allocate(JAVA_LONG, 8);
                long p = out.address();
                INFO.invokeExact(p, p + 8, p + 16, p + 24, p + 32, p + 40, p + 48, p + 56);
                return Optional.of(out.getAtIndex(JAVA_LONG, 5));
            } catch (Throwable t) {
                return Optional.empty();
            }
        }
    }
}
