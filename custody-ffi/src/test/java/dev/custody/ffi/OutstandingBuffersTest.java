package dev.custody.ffi;

import dev.custody.DoubleFreeException;
import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link NativePlugin#outstandingBuffers()} comes back to 0 when the host's own free is refused. */
class OutstandingBuffersTest {

    @Test
    void aRefusedDoubleFreeDoesNotLeaveTheCountUp() {
        long live = ReferencePlugin.liveBuffers();
        try (NativePlugin p = NativePlugin.load(ReferencePlugin.path(), null, null)) {
            // The reader frees the buffer through the heap by its address; the host's own free
            // after the read is then a double free, which custody refuses.
            assertThatThrownBy(() -> p.callRaw(ReferencePlugin.ECHO, MemorySegment.ofArray(new byte[16]), s -> {
                p.heap().free(s);
                return null;
            })).isInstanceOf(DoubleFreeException.class);
            assertThat(p.outstandingBuffers()).isZero();
            assertThat(p.heap().stats().total().liveBlocks()).isZero();
            assertThat(p.callRaw(ReferencePlugin.ECHO, MemorySegment.ofArray(new byte[]{1}))).containsExactly(1);
            assertThat(p.outstandingBuffers()).isZero();
        }
        assertThat(ReferencePlugin.liveBuffers()).as("freed once, by the reader's free").isEqualTo(live);
        assertThat(ReferencePlugin.badFrees()).isZero();
    }
}
