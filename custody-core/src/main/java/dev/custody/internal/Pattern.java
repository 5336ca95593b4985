package dev.custody.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A byte pattern (poison, canary) that fills memory and finds the first byte that differs from it. */
final class Pattern {
    private static final int CHUNK = 4096;
    private static final Pattern[] CACHE = new Pattern[256];
    /** All of memory, made once: slicing it costs less than a restricted reinterpret per call. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    final byte value;
    /** CHUNK bytes of the value, compared against with the JDK's vectorised mismatch. */
    private final MemorySegment source;

    private Pattern(byte value) {
        this.value = value;
        this.source = Arena.global().allocate(CHUNK).fill(value);
    }

    static synchronized Pattern of(byte value) {
        Pattern p = CACHE[value & 0xFF];
        if (p == null) {
            p = new Pattern(value);
            CACHE[value & 0xFF] = p;
        }
        return p;
    }

    void fill(long address, long length) {
        if (length > 0) {
            ALL.asSlice(address, length).fill(value);
        }
    }

    /** The offset of the first byte in {@code [address, address + length)} that differs, or -1. */
    long mismatch(long address, long length) {
        if (length <= 0) {
            return -1;
        }
        for (long off = 0; off < length; off += CHUNK) {
            long n = Math.min(CHUNK, length - off);
            long m = MemorySegment.mismatch(ALL, address + off, address + off + n, source, 0, n);
            if (m >= 0) {
                return off + m;
            }
        }
        return -1;
    }
}
