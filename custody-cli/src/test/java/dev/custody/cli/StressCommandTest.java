package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custody.Heaps;
import dev.custody.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end through {@link Main}: real libc blocks, real mallinfo2, real exit statuses. */
class StressCommandTest {
    private static final Scenario STEADY = new LibcScenario("steady", 50, 0);
    private static final Scenario LEAKY = new LibcScenario("leaky", 50, 1);

    private static final Scenario THROWS = new Scenario() {
        @Override
        public String name() {
            return "throws";
        }

        @Override
        public String summary() {
            return "throws in its second cycle";
        }

        @Override
        public void run(StressOptions options, CycleLog log) {
            log.begin(1);
            log.exact("x", 0);
            log.end();
            throw new IllegalStateException("the plugin died");
        }
    };

    @Test
    void aSteadyScenarioIsStableAndExitsZero(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        Run r = Run.of(List.of(STEADY, LEAKY), "stress", "--scenario", "steady", "--cycles", "8", "--seed", "7",
                "--report", report.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("== steady: allocates and frees 50 libc blocks per cycle, keeping 0")
                .contains("cycles 8, seed 7, tier fast")
                .contains("[steady]  cycle  libc/cli-test-steady live B  libc/cli-test-steady live blocks  mallinfo2 B")
                .contains("[steady] verdict: STABLE (8 cycles in ")
                .contains("custody stress: STABLE: steady")
                .contains("custody stress: report written to " + report.toAbsolutePath())
                .doesNotContain("leaky");
        assertThat(r.out().lines().filter(l -> l.matches("\\[steady]\\s+\\d+\\s+0\\s+0\\s+\\d+"))).hasSize(8);
        assertThat(Files.readString(report)).contains("<svg").contains("id=\"overall\">STABLE<");
        assertThat(Heaps.libc().stats().tag(Tag.of("cli-test-steady")).liveBlocks()).isZero();
    }

    @Test
    void aLeakIsGrowingAndExitsOneAndTheScenarioStillCleansUp() {
        Run r = Run.of(List.of(STEADY, LEAKY), "stress", "--cycles", "5", "--seed", "1");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("[steady] verdict: STABLE").contains("[leaky] verdict: GROWING")
                .contains("libc/cli-test-leaky live blocks grew from 1 (cycle 1) to 5 (cycle 5)")
                .contains("custody stress: STABLE: steady").contains("custody stress: GROWING: leaky");
        assertThat(Heaps.libc().stats().tag(Tag.of("cli-test-leaky")).liveBlocks()).isZero();
    }

    @Test
    void aLeakPastCustodyIsSeenByTheWitnessAlone() {
        Scenario hidden = new LibcScenario("hidden", 10, 0, 4 << 20);
        Run r = Run.of(List.of(hidden), "stress", "--cycles", "8");

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        // 8 cycles: medians of cycles 2-3 and 7-8 differ by 5 x 4 MiB = 20 MiB, beyond 12 MiB
        assertThat(r.out()).contains("[hidden] verdict: GROWING").containsPattern(
                "mallinfo2 B grew by \\d+ B \\(median \\d+ -> \\d+\\), beyond the tolerance of 12582912 B")
                .doesNotContain("live B grew").doesNotContain("live blocks grew");
    }

    @Test
    void aScenarioThatThrowsIsFailedAndExitsTwoAfterTheOthersRan() {
        Run r = Run.of(List.of(THROWS, LEAKY), "stress", "--cycles", "4");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("[throws] FAILURE: the scenario threw java.lang.IllegalStateException: the plugin died")
                .contains("[throws] verdict: FAILED").contains("[leaky] verdict: GROWING")
                .contains("custody stress: FAILED: throws");
        assertThat(r.err()).contains("java.lang.IllegalStateException: the plugin died").contains("\tat ");
    }

    @Test
    void demoMistakeAndSoakReachTheScenario() {
        Run r = Run.of(List.of(STEADY), "stress", "--demo-mistake", "--soak", "--cycles", "4");

        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("cycles 4, seed ").contains("tier soak, demo mistake")
                .contains("[steady] caught: DoubleFreeException");
    }

    @Test
    void soakMeansTwoHundredCyclesUnlessToldOtherwise() {
        Run r = Run.of(List.of(new LibcScenario("soak-default", 1, 0)), "stress", "--soak");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("cycles " + StressCommand.SOAK_CYCLES + ", ")
                .contains("verdict: STABLE (" + StressCommand.SOAK_CYCLES + " cycles");
    }
}
