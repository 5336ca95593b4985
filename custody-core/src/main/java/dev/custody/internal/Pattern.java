package dev.custody.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A byte pattern (poison, canary) that fills memory and finds the first byte that differs from it. */
final class Pattern {
    private static final int CHUNK = 4096;
    private static final Pattern[] CACHE = new Pattern[256];
    /** All of memory, made once: slicing it costs less than a restricted reinterpret per call. */
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    /**
     * Up to this many bytes, a fill or check is a loop of 8-byte accesses instead of a bulk
     * operation: a canary is 16 bytes, and a bulk operation's set-up costs more than the work.
     */
    private static final long SMALL = 128;
    private static final java.lang.foreign.ValueLayout.OfLong WORD = java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
    private static final boolean LITTLE = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;

    final byte value;
    /** The value in every byte of a long. */
    private final long wide;
    /** CHUNK bytes of the value, compared against with the JDK's vectorised mismatch. */
    private final MemorySegment source;

    private Pattern(byte value) {
        this.value = value;
        this.wide = (value & 0xFFL) * 0x0101_0101_0101_0101L;
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
        if (length <= SMALL) {
            long i = 0;
            for (; i + 8 <= length; i += 8) {
                ALL.set(WORD, address + i, wide);
            }
            for (; i < length; i++) {
                ALL.set(java.lang.foreign.ValueLayout.JAVA_BYTE, address + i, value);
            }
        } else {
            ALL.asSlice(address, length).fill(value);
        }
    }

    /** The offset of the first byte in {@code [address, address + length)} that differs, or -1. */
    long mismatch(long address, long length) {
        if (length <= SMALL) {
            long i = 0;
            for (; i + 8 <= length; i += 8) {
                long x = ALL.get(WORD, address + i) ^ wide;
                if (x != 0) {
                    return i + (LITTLE ? Long.numberOfTrailingZeros(x) : Long.numberOfLeadingZeros(x)) / 8;
                }
            }
            for (; i < length; i++) {
                if (ALL.get(java.lang.foreign.ValueLayout.JAVA_BYTE, address + i) != value) {
                    return i;
                }
            }
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
