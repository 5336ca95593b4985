package dev.custody.cli;

import dev.custody.Heap;
import dev.custody.Tracking;
import java.nio.file.Path;

/**
 * The options of one {@code custody stress} run.
 *
 * @param cycles how many cycles each scenario runs
 * @param seed the random seed, so that a run can be repeated
 * @param demoMistake whether to make the scenario's deliberate mistake, to show custody catching it
 * @param report where to write the HTML report, or null
 * @param soak whether this is the soak tier (full counts) rather than the fast tier
 * @param track the tracking every heap of the scenarios is set to ({@code --track})
 * @param leak the positive control ({@code --inject-leak}), or null
 */
public record StressOptions(int cycles, long seed, boolean demoMistake, Path report, boolean soak, Tracking track,
                            LeakInjection leak) {
    /** Puts back what {@link #track(Heap...)} changed; closing it throws nothing. */
    @FunctionalInterface
    public interface Restore extends AutoCloseable {
        @Override
        void close();
    }

    /** One allocation in this many records its site under {@code --track sampled}. */
    static final int SAMPLE_EVERY = 16;

    /**
     * Options without tracking or an injected leak.
     *
     * @param cycles how many cycles each scenario runs; 0 or less for the scenario's own count
     * @param seed the random seed, so that a run can be repeated
     * @param demoMistake whether to make the scenario's deliberate mistake
     * @param report where to write the HTML report, or null
     * @param soak whether this is the soak tier (full counts) rather than the fast tier
     */
    public StressOptions(int cycles, long seed, boolean demoMistake, Path report, boolean soak) {
        this(cycles, seed, demoMistake, report, soak, Tracking.OFF, null);
    }

    /**
     * The cycles to run: {@link #cycles()} when positive, else the scenario's own count for the tier.
     *
     * @param fast the scenario's count for the fast tier
     * @param soakCount the scenario's count for the soak tier
     * @return the number of cycles to run
     */
    public int cyclesOr(int fast, int soakCount) {
        return cycles > 0 ? cycles : soak ? soakCount : fast;
    }

    /**
     * What {@code scenario} must leak per cycle (bytes, or pins for remote): 0 unless it is the one injected.
     *
     * @param scenario the scenario's name
     * @return the amount to leak per cycle, 0 for none
     */
    public long leakPerCycle(String scenario) {
        return leak != null && leak.scenario().equals(scenario) ? leak.amount() : 0;
    }

    /**
     * Sets {@link #track()} on each heap and returns what puts their settings back, for a
     * try-with-resources around the scenario: the root heaps are the process's, shared with
     * whatever runs next.
     *
     * @param heaps the heaps whose tracking is set
     * @return what puts each heap's tracking back as it was
     */
    public Restore track(Heap... heaps) {
        Tracking[] before = new Tracking[heaps.length];
        for (int i = 0; i < heaps.length; i++) {
            before[i] = heaps[i].tracking();
            heaps[i].setTracking(track, SAMPLE_EVERY);
        }
        return () -> {
            for (int i = 0; i < heaps.length; i++) {
                heaps[i].setTracking(before[i], SAMPLE_EVERY);
            }
        };
    }
}
