package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.scoped.Frames;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The levels scenario end to end through {@link Main}: a real region on libc, real frames. Three
 * cycles, so the exact figures are judged; the noisy witnesses (mallinfo2, RSS) need four or more
 * cycles and are left to the scenario's own runs and the soak tier, where the JIT has settled.
 */
class LevelsScenarioTest {
    @Test
    void levelsComeHomeEveryCycleAndTheDemoMistakesAreRefused() {
        Run r = Run.of(List.of(new LevelsScenario()), "stress", "--scenario", "levels", "--cycles", "3", "--seed", "3",
                "--demo-mistake");

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("[levels] verdict: STABLE (3 cycles in ")
                .contains("a pointer into the torches' list kept across its growth still sees the old list only")
                .contains("a pointer into the torches' list kept across its growth, after the region's release is"
                        + " refused before it reads freed memory: the region's release closed the old list's scope,"
                        + " so the JDK threw IllegalStateException (\"Already closed\")")
                .contains("reading the level's cells after the region's release is refused before it reads freed"
                        + " memory: the region's release closed the segment's scope")
                .doesNotContain("FAILURE");
        // each cycle line: region live 0, held 0, libc chunks 0, one stairs list of 32 B, depth 0, the 64 KiB base
        assertThat(r.out().lines().filter(l -> l.matches("\\[levels]\\s+\\d+\\s+0\\s+0\\s+0\\s+32\\s+0\\s+65536\\s.*")))
                .hasSize(3);
        // the scenario cleaned up after itself
        assertThat(Heaps.libc().stats().tag(Tag.of("stairs")).liveBytes()).isZero();
        assertThat(Heaps.libc().stats().tag(Tag.of("region-chunks")).liveBytes()).isZero();
        assertThat(Frames.heldBytes()).isZero();
    }
}
