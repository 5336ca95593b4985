package dev.custody.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in scenarios, run through the command as a user runs them. Three cycles: the exact
 * figures (books, the libraries' own counters) are judged; the noisy witnesses need four or more
 * cycles and are left to the scenarios' own runs and the soak tier.
 */
class BuiltInScenariosTest {

    @Test
    void theRegistryHoldsTheDesignsScenarios() {
        assertThat(Scenarios.builtIn().all()).extracting(Scenario::name)
                .contains("levels", "recordings", "plugin", "remote");
    }

    @Test
    void recordingsIsStableAndCatchesTheDemoMistakeAtTheHandOff() {
        Run r = Run.of(List.of(new RecordingsScenario()), "stress", "--scenario", "recordings", "--cycles", "3",
                "--seed", "7", "--demo-mistake");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("verdict: STABLE")
                .contains("block of 'libc' handed off to 'game'")
                .contains("which was already handed off");
    }

    @Test
    void pluginIsStableAndCatchesTheDemoMistake() {
        Run r = Run.of(List.of(new PluginScenario()), "stress", "--scenario", "plugin", "--cycles", "3", "--seed", "7",
                "--demo-mistake");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("verdict: STABLE").contains("freed through 'libc'");
    }

    @Test
    void remotesInjectedLeakKeepsPinsThatNeverComeHome() {
        Run r = Run.of(List.of(new RemoteScenario()), "stress", "--cycles", "3", "--seed", "7", "--inject-leak", "remote:5");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("[remote] verdict: GROWING")
                .contains("session pins grew from 6 (cycle 1) to 16 (cycle 3)")
                .contains("live proxies grew from 6 (cycle 1) to 16 (cycle 3)")
                .contains("--inject-leak: the 15 proxies kept on purpose were closed after the last cycle");
    }

    @Test
    void jvmsInjectedLeakGrowsTheAgentsDirectBufferBooks() {
        Run r = Run.of(List.of(new JvmScenario()), "stress", "--cycles", "3", "--seed", "7", "--inject-leak", "jvm:64k");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "agent direct B grew from (\\d+) \\(cycle 1\\) to (\\d+) \\(cycle 3\\)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Long.parseLong(m.group(2)) - Long.parseLong(m.group(1))).isEqualTo(2 * 65536);
    }
}
