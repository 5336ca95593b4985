package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Usage errors: exit status 2, one clear line naming the problem, and where to find help. */
class MainTest {
    private static final List<Scenario> TWO = List.of(new LibcScenario("alpha", 1, 0), new LibcScenario("beta", 1, 0));

    @Test
    void noCommandNamesTheCommands() {
        Run r = Run.of(TWO);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("custody: Missing command: give one of stress, report, run, attach, levels, help,"
                        + " or of the launcher's test, soak, bench, check-report")
                .contains("Try 'custody --help' for more information.");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void helpListsEveryCommandTheLaunchersOwnIncluded() {
        Run r = Run.of(TWO, "--help");
        assertThat(r.exit()).isZero();
        for (String command : List.of("stress", "report", "run", "attach", "levels", "help")) {
            assertThat(r.out()).containsPattern("(?m)^  " + command + "\\s");
        }
        assertThat(r.out()).contains("Commands of the ./custody launcher");
        for (String command : List.of("test", "soak", "bench", "check-report")) {
            assertThat(r.out()).containsPattern("(?m)^  " + command + "\\s+\\S");
        }
        assertThat(r.out().lines()).as("no line wrapped past picocli's 80 columns").allMatch(l -> l.length() <= 80);
    }

    @Test
    void versionIsThePomsVersion() throws Exception {
        Run r = Run.of(TWO, "--version");
        assertThat(r.exit()).isZero();
        // the build's own version, read from the root pom beside the module
        String pom = java.nio.file.Files.readString(java.nio.file.Path.of("..", "pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<version>([^<]+)</version>").matcher(pom);
        assertThat(m.find()).isTrue();
        assertThat(r.out().lines().findFirst()).contains("custody " + m.group(1));
        assertThat(r.out()).contains("Java " + Runtime.version());
    }

    @Test
    void unknownOptionIsNamedWithASuggestion() {
        Run r = Run.of(TWO, "stress", "--cycle", "3");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("custody stress: Unknown options: '--cycle', '3'")
                .contains("Possible solutions: --cycles")
                .contains("Try 'custody stress --help' for more information.");
        assertThat(r.out()).as("nothing ran").isEmpty();
    }

    @Test
    void unknownScenarioListsTheKnownOnes() {
        Run r = Run.of(TWO, "stress", "--scenario", "gamma");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown scenario 'gamma'. Known scenarios: alpha, beta, or 'all'.");
    }

    @Test
    void badNumbersAreRefused() {
        Run notANumber = Run.of(TWO, "stress", "--cycles", "many");
        assertThat(notANumber.exit()).isEqualTo(2);
        assertThat(notANumber.err()).contains("Invalid value for option '--cycles': 'many' is not a whole number (such as 20)");

        Run zero = Run.of(TWO, "stress", "--cycles", "0");
        assertThat(zero.exit()).isEqualTo(2);
        assertThat(zero.err()).contains("--cycles must be at least 1, got 0");
    }

    @Test
    void anEmptyRegistryIsAnErrorNotAVacuousSuccess() {
        Run r = Run.of(List.of(), "stress");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("No scenario is registered in this build.");
    }

    @Test
    void helpListsTheScenariosAndExitsZero() {
        Run r = Run.of(TWO, "stress", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--scenario=NAME", "--demo-mistake", "--report=FILE.html", "--soak",
                "Scenarios: alpha, beta");
    }

    @Test
    void reportOfAMissingFileIsAUsageError() {
        Run r = Run.of(TWO, "report", "/nonexistent/x.jfr");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("custody report: Cannot read the recording '/nonexistent/x.jfr': there is no such file.");
    }

    @Test
    void duplicateScenarioNamesAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Scenarios(List.of(
                new LibcScenario("alpha", 1, 0), new LibcScenario("alpha", 2, 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[alpha, alpha]");
    }
}
