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
}
