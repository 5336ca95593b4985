package dev.custody.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libc's {@code mmap}, {@code mprotect} and {@code munmap} through FFM, for guard pages and for the
 * flat region's reserved address space (Linux, LP64).
 */
final class Mman {
    static final int PROT_NONE = 0;
    static final int PROT_READ_WRITE = 0x1 | 0x2;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    private static final int MAP_FIXED = 0x10;
    private static final int MAP_NORESERVE = 0x4000;
    private static final int SC_PAGESIZE = 30;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle MMAP = handle("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = handle("mprotect",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle SYSCONF = handle("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    static final long PAGE = sysconf(SC_PAGESIZE);

    private Mman() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(
                () -> new IllegalStateException("libc has no " + name + ": guard pages need Linux")), d);
    }

    private static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(name);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Maps {@code length} bytes of fresh read-write memory; returns 0 if the kernel refused. */
    static long map(long length) {
        return mmap(0L, length, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS);
    }

    /**
     * Reserves {@code length} bytes of address space, inaccessible and uncommitted (commit it with
     * {@link #protect}); returns 0 if the kernel refused.
     */
    static long reserve(long length) {
        return mmap(0L, length, PROT_NONE, MAP_PRIVATE_ANONYMOUS | MAP_NORESERVE);
    }

    /** Drops the pages of a reserved range and their commit at once: a fresh inaccessible mapping over it. */
    static void decommit(long address, long length) {
        if (mmap(address, length, PROT_NONE, MAP_PRIVATE_ANONYMOUS | MAP_NORESERVE | MAP_FIXED) != address) {
            throw new IllegalStateException("mmap(MAP_FIXED) over 0x" + Long.toHexString(address) + ", " + length
                    + " failed");
        }
    }

    private static long mmap(long address, long length, int prot, int flags) {
        try {
            long a = (long) MMAP.invokeExact(address, length, prot, flags, -1, 0L);
            return a == -1 ? 0 : a; // MAP_FAILED
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void protect(long address, long length, int prot) {
        int rc;
        try {
            rc = (int) MPROTECT.invokeExact(address, length, prot);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (rc != 0) {
            throw new IllegalStateException("mprotect(0x" + Long.toHexString(address) + ", " + length + ", " + prot
                    + ") failed; the process may be out of mappings (vm.max_map_count)");
        }
    }

    static void unmap(long address, long length) {
        int rc;
        try {
            rc = (int) MUNMAP.invokeExact(address, length);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        if (rc != 0) {
            throw new IllegalStateException("munmap(0x" + Long.toHexString(address) + ", " + length + ") failed");
        }
    }

    /** {@code vm.max_map_count}, or Linux's default 65530 if it cannot be read. */
    static long maxMapCount() {
        // One read of the whole value: a sysctl file answers a read at a later offset with EOF, so
        // Files.readString (which starts with a 1-byte read for a file of size 0) sees "6".
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/vm/max_map_count"))) {
            return Long.parseLong(new String(in.readNBytes(32), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 65530;
        }
    }
}
