package dev.custody.debug;

import dev.custody.Heap;
import dev.custody.Heaps;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebugOptionsTest {
    private final DebugOptions d = DebugOptions.defaults();

    @Test
    void everyRefusedValueSaysWhy() {
        assertThatThrownBy(() -> d.withQuarantine(-1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("quarantine bounds must not be negative: -1 blocks, 0 B");
        assertThatThrownBy(() -> d.withPoison(DebugOptions.CANARY)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the poison must differ from the canary byte 0xca");
        assertThatThrownBy(() -> d.withListener(null)).isInstanceOf(NullPointerException.class).hasMessage("listener");
        assertThatThrownBy(() -> d.withRing(Path.of("r"), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ring capacity must be positive: 0");
        assertThatThrownBy(() -> d.withRing(null, 4)).isInstanceOf(NullPointerException.class).hasMessage("file");
        assertThatThrownBy(() -> d.withMapShare(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("map share must be in (0, 1]: 0.0");
        assertThatThrownBy(() -> d.withMapShare(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.withMaxMappings(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a guarded block needs 2 mappings; budget: 1");
        assertThatThrownBy(() -> d.withMaxMappings(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a guarded block needs 2 mappings; budget: 0");
        assertThatThrownBy(() -> d.withSampleEvery(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sampleEvery must be at least 1: 0");
    }

    @Test
    void withersChangeOnlyTheirField() {
        DebugOptions o = d.withQuarantine(3, 300).withSampleEvery(5).withMaxMappings(40);
        assertThat(o.quarantineBlocks()).isEqualTo(3);
        assertThat(o.quarantineBytes()).isEqualTo(300);
        assertThat(o.sampleEvery()).isEqualTo(5);
        assertThat(o.maxMappings()).isEqualTo(40);
        assertThat(o.poison()).isEqualTo(d.poison());
        assertThat(o.withMapShare(0.25).maxMappings()).as("a share replaces an exact budget").isZero();
    }

    @Test
    void theFactoriesRefuseWhatIsNoCustodyHeap() {
        // Heap is sealed: a foreign heap cannot even be made, so the factories never meet one
        assertThatThrownBy(() -> java.lang.reflect.Proxy.newProxyInstance(Heap.class.getClassLoader(),
                new Class<?>[] {Heap.class}, (p, m, a) -> "foreign")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sealed");
        assertThatThrownBy(() -> DebugHeaps.guarded(null, d)).isInstanceOf(NullPointerException.class)
                .hasMessage("base");
        assertThatThrownBy(() -> DebugHeaps.guarded(Heaps.libc(), d.withRing(Path.of("/proc/no/such/ring"), 4)))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessage("cannot create the guard ring file /proc/no/such/ring");
    }
}
