package dev.custody.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A byte pattern (poison, canary) that fills memory and finds the first byte that differs from it. */
final class Pattern {
    private static final int CHUNK = 4096;
    private static final Pattern[] CACHE = new Pattern[256];

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
            MemorySegment.ofAddress(address).reinterpret(length).fill(value);
        }
    }

    /** The offset of the first byte in {@code [address, address + length)} that differs, or -1. */
    long mismatch(long address, long length) {
        if (length <= 0) {
            return -1;
        }
        MemorySegment seg = MemorySegment.ofAddress(address).reinterpret(length);
        for (long off = 0; off < length; off += CHUNK) {
            long n = Math.min(CHUNK, length - off);
            long m = MemorySegment.mismatch(seg, off, off + n, source, 0, n);
            if (m >= 0) {
                return off + m;
            }
        }
        return -1;
    }
}
