package dev.custody.internal;

import dev.custody.AllocationFailedException;
import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Law 9 on frames: absurd sizes fail cleanly, and the frame stays usable. */
class FrameStackTest {
    @AfterEach
    void noFrameOutlivesATest() {
        assertThat(Frames.depth()).isZero();
    }

    /** The old code threw ArithmeticException (Long.MAX_VALUE) and OutOfMemoryError (1 TiB). */
    @Test
    void absurdSizesGetAllocationFailedAndTheFrameStaysUsable() {
        try (Frame f = Frames.push()) {
            MemorySegment before = f.allocate(64);
            before.set(JAVA_LONG, 0, 7L);
            long held = Frames.heldBytes();
            assertThatThrownBy(() -> f.allocate(Long.MAX_VALUE)).isInstanceOf(AllocationFailedException.class)
                    .hasMessageContaining("absurd");
            assertThatThrownBy(() -> f.allocate(Long.MAX_VALUE - 8, 16)).isInstanceOf(AllocationFailedException.class);
            assertThatThrownBy(() -> f.allocate(1L << 40)).isInstanceOf(AllocationFailedException.class)
                    .hasMessageContaining("malloc could not give");
            assertThat(Frames.heldBytes()).as("nothing changed").isEqualTo(held);
            MemorySegment after = f.allocate(64);
            after.set(JAVA_LONG, 0, 8L);
            assertThat(after.address()).isGreaterThanOrEqualTo(before.address() + 64);
            assertThat(before.get(JAVA_LONG, 0)).isEqualTo(7L);
            try (Frame inner = Frames.push()) {
                assertThat(inner.allocate(128 * 1024).byteSize()).as("it still grows").isEqualTo(128 * 1024);
            }
        }
    }
}
