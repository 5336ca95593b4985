package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.scoped.Frames;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code custody levels}: the summary, the printed map and its legend, byte for byte the same for a
 * seed (in this JVM and in another), another for another seed; bad input is one line and status 2.
 */
class LevelsCommandTest {
    private static final String SUMMARY = "level of seed -?\\d+: 80x40, \\d+ rooms, 1 maze, [01] cave, \\d+ BSP nodes, "
            + "\\d+ monsters, \\d+ items, \\d+ doors, \\d+ torches, 4 down stairs; region \\d+ B live in \\d+ blocks, "
            + "\\d+ B of chunks";

    private static Run levels(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "levels";
        System.arraycopy(args, 0, all, 1, args.length);
        return Run.of(List.of(), all);
    }

    @Test
    void theSummaryIsOneLineTheSameOnEveryRun() {
        Run r = levels("--seed", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out().lines().toList()).singleElement().asString().matches(SUMMARY)
                .startsWith("level of seed 1: ");
        assertThat(levels("--seed", "1").out()).isEqualTo(r.out());
        assertThat(levels("--seed", "2").out()).isNotEqualTo(r.out());
    }

    @Test
    void printShowsTheMapAndALegendOfEveryGlyph() {
        Run r = levels("--seed", "1", "--print");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches(SUMMARY);
        List<String> map = lines.subList(1, 1 + Level.H);
        assertThat(map).hasSizeGreaterThanOrEqualTo(20).allSatisfy(row -> assertThat(row).hasSize(Level.W));
        assertThat(lines.get(1 + Level.H)).isEqualTo("Legend:");
        List<String> legend = lines.subList(2 + Level.H, lines.size());
        Set<Character> explained = legend.stream().map(l -> {
            assertThat(l).matches("  '.' \\S.*");
            return l.charAt(3);
        }).collect(Collectors.toSet());
        Set<Character> used = map.stream().flatMap(row -> row.chars().mapToObj(c -> (char) c))
                .collect(Collectors.toSet());
        assertThat(explained).as("a legend line for every glyph of the map").containsAll(used);
        assertThat(used).as("the map shows walls, floor, stairs, doors, torches, monsters and items")
                .contains('#', '.', '<', '>', '+', '*').containsAnyOf('r', 'g', 'o', 'T')
                .containsAnyOf('!', '?', '$', ')');
        assertThat(levels("--seed", "1", "--print").out()).isEqualTo(r.out());
        assertThat(levels("--seed", "2", "--print").out()).isNotEqualTo(r.out());
    }

    @Test
    void anotherJvmPrintsTheSameBytes() throws Exception {
        Run here = levels("--seed", "20261201", "--print");
        Programs.Child there = Programs.quietChild(Main.class, "levels", "--seed", "20261201", "--print");
        assertThat(there.exit()).as(there.err()).isZero();
        assertThat(there.out()).isEqualTo(here.out());
    }

    @Test
    void theLevelComesHomeAfterTheCommand() {
        long chunks = Heaps.libc().stats().tag(Tag.of("region-chunks")).liveBytes();
        assertThat(levels("--seed", "3", "--print").exit()).isZero();
        assertThat(Heaps.libc().stats().tag(Tag.of("region-chunks")).liveBytes()).isEqualTo(chunks);
        assertThat(Heaps.libc().stats().tag(Level.STAIRS).liveBytes()).isZero();
        assertThat(Frames.depth()).isZero();
        assertThat(Frames.heldBytes()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"--seed abc", "--seed 1.5", "--seed 99999999999999999999", "--seed", "", "--sed 1",
        "--seed 1 --prnt", "--seed 1 extra"})
    void badInputIsOneLineAndStatus2(String args) {
        Run r = levels(args.isEmpty() ? new String[0] : args.split(" "));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).as("nothing printed on standard output").isEmpty();
        assertThat(r.err().lines().toList()).singleElement().asString().startsWith("custody levels: ")
                .endsWith(" (see 'custody levels --help')");
    }

    @Test
    void badInputIsNamed() {
        assertThat(levels("--seed", "abc").err()).contains("Invalid value for option '--seed': 'abc' is not a whole number (such as 20)");
        assertThat(levels("--sed", "1").err()).contains("Unknown options: '--sed', '1'");
        assertThat(levels().err()).contains("Missing required option: '--seed=N'");
    }
}
