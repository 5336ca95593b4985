package dev.custody.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** The word-wise path for small lengths and the bulk path agree: the first changed byte, or -1. */
class PatternTest {
    @Test
    void mismatchFindsTheFirstChangedByteAtEveryOffsetOfSmallAndLargeRanges() {
        Pattern p = Pattern.of((byte) 0xA5);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(5000);
            for (long length : new long[] {1, 7, 8, 15, 16, 17, 64, 127, 128, 129, 4097}) {
                for (long start : new long[] {0, 1, 3}) {
                    long address = m.address() + start;
                    p.fill(address, length);
                    assertThat(p.mismatch(address, length)).as("clean, length %d", length).isEqualTo(-1);
                    assertThat(m.get(ValueLayout.JAVA_BYTE, start + length)).as("nothing past the end").isZero();
                    for (long at = 0; at < length; at += Math.max(1, length / 23)) {
                        m.set(ValueLayout.JAVA_BYTE, start + at, (byte) 0x5A);
                        m.set(ValueLayout.JAVA_BYTE, start + length - 1, (byte) 0);
                        assertThat(p.mismatch(address, length)).as("length %d, changed at %d", length, at)
                                .isEqualTo(at);
                        p.fill(address, length);
                    }
                    m.asSlice(start, length).fill((byte) 0);
                }
            }
        }
    }
}
