package dev.custody.cli;

/** How one scenario's run ended, and what the process exit status makes of it. */
public enum Outcome {
    /** Every exact figure came back and every witness stayed within its tolerance. */
    STABLE(0),
    /** A figure grew: a leak, or a witness beyond its tolerance. */
    GROWING(1),
    /** The scenario failed: it threw, or recorded a failure. */
    FAILED(2);

    private final int exitCode;

    Outcome(int exitCode) {
        this.exitCode = exitCode;
    }

    /**
     * The process exit status of this outcome.
     *
     * @return 0 for STABLE, 1 for GROWING, 2 for FAILED
     */
    public int exitCode() {
        return exitCode;
    }

    /**
     * The outcome of a finished log: FAILED if it recorded a failure, else its verdict.
     *
     * @param log the scenario's log, after its last cycle
     * @return FAILED, GROWING or STABLE
     */
    public static Outcome of(CycleLog log) {
        if (!log.failures().isEmpty()) {
            return FAILED;
        }
        return log.verdict().stable() ? STABLE : GROWING;
    }

    /**
     * The worst of two outcomes, so that a run's exit status is its worst scenario's.
     *
     * @param other the other outcome
     * @return FAILED over GROWING over STABLE
     */
    public Outcome worst(Outcome other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
