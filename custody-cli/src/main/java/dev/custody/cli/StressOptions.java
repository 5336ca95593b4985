package dev.custody.cli;

import java.nio.file.Path;

/**
 * The options of one {@code custody stress} run.
 *
 * @param cycles how many cycles each scenario runs
 * @param seed the random seed, so that a run can be repeated
 * @param demoMistake whether to make the scenario's deliberate mistake, to show custody catching it
 * @param report where to write the HTML report, or null
 * @param soak whether this is the soak tier (full counts) rather than the fast tier
 */
public record StressOptions(int cycles, long seed, boolean demoMistake, Path report, boolean soak) {

    /** The cycles to run: {@link #cycles()} when positive, else the scenario's own count for the tier. */
    public int cyclesOr(int fast, int soakCount) {
        return cycles > 0 ? cycles : soak ? soakCount : fast;
    }
}
