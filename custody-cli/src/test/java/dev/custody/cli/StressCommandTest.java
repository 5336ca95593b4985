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
                .contains("[steady]  cycle  libc/cli-test-steady B  libc/cli-test-steady live blocks  mallinfo2 B")
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
                .doesNotContain(" B grew from").doesNotContain("live blocks grew");
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

    @Test
    void trackFullNamesEveryLeakedBlocksSiteGroupedBySite() {
        Run r = Run.of(List.of(LEAKY), "stress", "--cycles", "4", "--seed", "3", "--track", "FULL");

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        // cycles 2 to 4 each kept one block more than cycle 1: three blocks, one site
        assertThat(r.out()).containsPattern("  - libc/cli-test-leaky: 3 block\\(s\\), \\d+ B more than at cycle 1, "
                + "allocated at dev\\.custody\\.cli\\.LibcScenario\\.run\\(LibcScenario\\.java:\\d+\\)");
        assertThat(Heaps.libc().tracking()).as("the process's libc heap is put back").isEqualTo(dev.custody.Tracking.OFF);
    }

    @Test
    void withoutTrackingTheLeakedBlocksAreCountedWithoutASite() {
        Run r = Run.of(List.of(LEAKY), "stress", "--cycles", "4", "--seed", "3");
        assertThat(r.out()).contains("  - libc/cli-test-leaky: 3 block(s), ")
                .contains("B more than at cycle 1, allocated at (allocation site not tracked)");
    }

    @Test
    void scenariosAreAListInAnyCaseRunInTheRegistrysOrder() {
        Run r = Run.of(List.of(STEADY, LEAKY, THROWS), "stress", "--scenario", "LEAKY, steady", "--cycles", "2");
        assertThat(r.out()).contains("== steady").contains("== leaky").doesNotContain("== throws");
        assertThat(r.out().indexOf("== steady")).isLessThan(r.out().indexOf("== leaky"));
    }

    @Test
    void badUsageIsRefusedAtOnceWithOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("f.html");
        Files.writeString(file, "x");
        List<List<String>> bad = List.of(
                List.of("--scenario", "steady,nope"),
                List.of("--report", dir.resolve("no/such/dir/r.html").toString()),
                List.of("--json", dir.toString()),
                List.of("--json", file.resolve("x.json").toString()),
                List.of("--inject-leak", "leaky"),
                List.of("--inject-leak", "nope"),
                List.of("--inject-leak", "steady:lots"),
                List.of("--track", "sometimes"));
        for (List<String> args : bad) {
            List<String> all = new java.util.ArrayList<>(List.of("stress", "--scenario", "steady", "--cycles", "2"));
            all.addAll(args);
            Run r = Run.of(List.of(STEADY, LEAKY), all.toArray(String[]::new));
            assertThat(r.exit()).as(args + ": " + r.err()).isEqualTo(2);
            assertThat(r.out()).as(args.toString()).doesNotContain("==");
            assertThat(r.err().lines().findFirst().orElseThrow()).as(args.toString()).startsWith("custody stress: ");
            assertThat(r.err()).as(args.toString()).doesNotContain("\tat ");
        }
    }

    @Test
    void injectingALeakMakesThatScenarioGrowingAndNamesItsHeapAndTag() {
        Run r = Run.of(List.of(new LevelsScenario()), "stress", "--cycles", "3", "--seed", "5",
                "--inject-leak", "Levels:64K", "--track", "full");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("--inject-leak: 65536 B per cycle, on purpose")
                .contains("[levels] verdict: GROWING")
                .containsPattern("libc/stairs B grew from \\d+ \\(cycle 1\\) to \\d+ \\(cycle 3\\)")
                .containsPattern("libc/stairs: 2 block\\(s\\), 131072 B more than at cycle 1, allocated at "
                        + "dev\\.custody\\.cli\\.LevelsScenario\\.keepStairs\\(LevelsScenario\\.java:\\d+\\)")
                .doesNotContain("Levels.regenerate") // the stairs' list each level replaces cancels out
                .contains("--inject-leak: the 3 block(s) leaked on purpose (196608 B) were freed after the last cycle");
        assertThat(Heaps.libc().stats().tag(Level.STAIRS).liveBlocks()).isZero();
    }

    @Test
    void jsonHoldsTheVerdictsReasonsTolerancesAndEveryCyclesFigures(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("run.json");
        Run r = Run.of(List.of(STEADY, LEAKY), "stress", "--cycles", "4", "--seed", "11", "--json", json.toString());

        assertThat(r.exit()).isEqualTo(1);
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.toFile());
        assertThat(doc.get("verdict").asText()).isEqualTo("GROWING");
        assertThat(doc.get("exitStatus").asInt()).isEqualTo(1);
        assertThat(doc.get("seed").asLong()).isEqualTo(11);
        assertThat(doc.get("version").asText()).isNotEmpty();
        com.fasterxml.jackson.databind.JsonNode leaky = doc.get("scenarios").get(1);
        assertThat(leaky.get("name").asText()).isEqualTo("leaky");
        assertThat(leaky.get("verdict").asText()).isEqualTo("GROWING");
        assertThat(leaky.get("reasons").get(0).asText()).startsWith("libc/cli-test-leaky B grew from");
        assertThat(leaky.get("tolerances").get("mallinfo2 B").asLong()).isEqualTo(LibcScenario.TOLERANCE);
        assertThat(leaky.get("cycles")).hasSize(4);
        assertThat(leaky.get("cycles").get(3).get("cycle").asInt()).isEqualTo(4);
        assertThat(leaky.get("cycles").get(3).get("figures").get("libc/cli-test-leaky live blocks").asLong()).isEqualTo(4);
        assertThat(doc.get("scenarios").get(0).get("reasons")).isEmpty();
    }

    @Test
    void trackSampledNamesTheSampledBlocksSitesAndCountsTheRestUntracked() {
        Run r = Run.of(List.of(LEAKY), "stress", "--cycles", "4", "--seed", "3", "--track", "sampled");

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "  - libc/cli-test-leaky: (\\d+) block\\(s\\), \\d+ B more than at cycle 1, allocated at (.*)").matcher(r.out());
        int blocks = 0;
        while (m.find()) {
            blocks += Integer.parseInt(m.group(1));
            assertThat(m.group(2)).matches("dev\\.custody\\.cli\\.LibcScenario\\.run\\(LibcScenario\\.java:\\d+\\)"
                    + "|\\(allocation site not tracked\\)");
        }
        assertThat(blocks).as("every kept block is counted, with its site when it was sampled").isEqualTo(3);
    }
}
