package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleLogTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final CycleLog log = new CycleLog("t", new PrintStream(printed, true, StandardCharsets.UTF_8));

    private void cycle(int n, long exact, long witness, long tolerance) {
        log.begin(n);
        log.exact("live B", exact);
        log.witness("rss B", witness, tolerance);
        log.end();
    }

    @Test
    void exactFigureBackToItsFirstValueIsStable() {
        for (int i = 1; i <= 6; i++) {
            cycle(i, i % 2 == 0 ? 4096 : 0, 1_000_000, 1000);
        }
        cycle(7, 0, 1_000_000, 1000);
        assertThat(log.verdict().stable()).isTrue();
        assertThat(Outcome.of(log)).isEqualTo(Outcome.STABLE);
    }

    @Test
    void anyExactGrowthFromFirstToLastCycleIsGrowing() {
        for (int i = 1; i <= 5; i++) {
            cycle(i, i == 5 ? 1 : 0, 1_000_000, 1000);
        }
        CycleLog.Verdict v = log.verdict();
        assertThat(v.stable()).isFalse();
        assertThat(v.reasons()).singleElement().asString()
                .contains("live B grew from 0 (cycle 1) to 1 (cycle 5)");
        assertThat(Outcome.of(log)).isEqualTo(Outcome.GROWING);
    }

    @Test
    void witnessWithinItsToleranceIsStableAndBeyondIsGrowing() {
        // cycle 1 is warm-up and ignored; 9 measured cycles: thirds of 3; medians 1000 and 1000 + 1000
        cycle(1, 0, 50_000_000, 1000);
        for (int i = 2; i <= 10; i++) {
            cycle(i, 0, i <= 4 ? 1000 : i >= 8 ? 2000 : 1500, 1000);
        }
        assertThat(log.verdict().stable()).as("growth of exactly the tolerance is allowed").isTrue();

        CycleLog over = new CycleLog("t", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        for (int i = 1; i <= 10; i++) {
            over.begin(i);
            over.witness("rss B", i <= 4 ? 1000 : 2001, 1000);
            over.end();
        }
        assertThat(over.verdict().reasons()).singleElement().asString()
                .contains("rss B grew by 1001 B (median 1000 -> 2001), beyond the tolerance of 1000 B");
    }

    @Test
    void witnessIsNotJudgedOnFewerThanFourCycles() {
        cycle(1, 0, 0, 10);
        cycle(2, 0, 1_000_000, 10);
        cycle(3, 0, 2_000_000, 10);
        assertThat(log.verdict().stable()).isTrue();
    }

    @Test
    void aFailureMakesTheRunFailedWhateverTheFigures() {
        cycle(1, 0, 0, 10);
        log.fail("the game aborted");
        assertThat(log.verdict().stable()).isFalse();
        assertThat(log.verdict().reasons()).containsExactly("the game aborted");
        assertThat(log.failures()).containsExactly("the game aborted");
        assertThat(Outcome.of(log)).isEqualTo(Outcome.FAILED);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("[t] FAILURE: the game aborted");
    }

    @Test
    void aRunWithoutCyclesIsNotStable() {
        assertThat(log.verdict().reasons()).containsExactly("no cycle completed");
    }

    @Test
    void cyclesMustBeBegunAndEnded() {
        assertThatThrownBy(() -> log.exact("x", 1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("no cycle begun");
        log.begin(1);
        assertThatThrownBy(() -> log.begin(2)).isInstanceOf(IllegalStateException.class)
                .hasMessage("cycle 1 was not ended");
    }

    @Test
    void printsAHeaderAndOneLinePerCycle() {
        cycle(1, 0, 42, 10);
        cycle(2, 4096, 43, 10);
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
                "[t]  cycle  live B  rss B", "[t]      1       0     42", "[t]      2    4096     43");
    }

    @Test
    void aHeaderWiderThan160ColumnsIsBrokenOverTwoLinesAndEveryLineFits() {
        CycleLog wide = new CycleLog("recordings", new PrintStream(printed, true, StandardCharsets.UTF_8));
        List<String> names = List.of("playing: game paths", "playing: game mem29 B", "playing: path-table B",
                "game/paths B", "path-table/path-entries B", "libc/paths B", "game paths", "game mem29 B",
                "game mem0 B", "mallinfo2 B", "RSS B");
        for (int c = 1; c <= 2; c++) {
            wide.begin(c);
            names.forEach(n -> wide.exact(n, 2_272_157_696L));
            wide.end();
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(String.join(" ", names).length() + 20).as("one line would not fit").isGreaterThan(160);
        assertThat(lines).hasSize(4).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(160));
        assertThat(lines.get(0)).contains("playing:").contains("path-table/");
        assertThat(lines.get(1)).startsWith("[recordings]  cycle").contains("game mem29 B").endsWith(" B");
        // every value sits under the end of its column's name
        assertThat(lines.get(2).length()).isEqualTo(lines.get(1).length());
        assertThat(CycleLog.halves("path-table/path-entries B")).containsExactly("path-table/", "path-entries B");
        assertThat(CycleLog.halves("playing: game mem29 B")).containsExactly("playing:", "game mem29 B");
        assertThat(CycleLog.halves("RSS")).containsExactly("", "RSS");
    }

    @Test
    void aColumnIsAsWideAsItsFirstValueWhenThatIsWiderThanItsName() {
        CycleLog narrow = new CycleLog("n", new PrintStream(printed, true, StandardCharsets.UTF_8));
        narrow.begin(1);
        narrow.witness("RSS B", 2_272_157_696L, 1);
        narrow.end();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines().toList())
                .containsExactly("[n]  cycle       RSS B", "[n]      1  2272157696");
    }

    @Test
    void worstOutcomeDecidesTheExitStatus() {
        assertThat(Outcome.STABLE.worst(Outcome.GROWING)).isEqualTo(Outcome.GROWING);
        assertThat(Outcome.FAILED.worst(Outcome.GROWING)).isEqualTo(Outcome.FAILED);
        assertThat(Outcome.STABLE.worst(Outcome.STABLE).exitCode()).isZero();
        assertThat(Outcome.GROWING.exitCode()).isEqualTo(1);
        assertThat(Outcome.FAILED.exitCode()).isEqualTo(2);
    }

    @Test
    void aShownFigureIsPrintedAndKeptButNeverJudged() {
        java.util.List<Integer> ended = new java.util.ArrayList<>();
        log.onCycleEnd(ended::add);
        for (int i = 1; i <= 8; i++) {
            log.begin(i);
            log.exact("live B", 0);
            log.shown("native RSS B", i * 100_000_000L);
            log.end();
        }
        assertThat(log.verdict().stable()).as(log.verdict().toString()).isTrue();
        assertThat(log.tolerances()).doesNotContainKey("native RSS B");
        assertThat(log.rows().getLast().witness()).containsEntry("native RSS B", 800_000_000L);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("native RSS B").contains("800000000");
        assertThat(ended).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void aRefusedMisuseIsANoteAndARefusal() {
        log.refused("caught: WrongHeapException");
        assertThat(log.notes()).containsExactly("caught: WrongHeapException");
        assertThat(log.refusals()).containsExactly("caught: WrongHeapException");
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("[t] caught: WrongHeapException");
    }
}
