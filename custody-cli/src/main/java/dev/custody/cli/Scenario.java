package dev.custody.cli;

/**
 * One scenario of {@code custody stress}: a seed case run as cycles.
 *
 * <p>A scenario records every cycle in the {@link CycleLog} it is given, and cleans up everything
 * it started (child processes, servers, heaps) on every exit, normal or exceptional.
 */
public interface Scenario {
    /** The name given to {@code --scenario}, such as {@code "recordings"}. */
    String name();

    /** One line for {@code --help}. */
    String summary();

    /**
     * Runs {@code options.cycles()} cycles.
     *
     * @throws Exception anything unexpected; the run's verdict is then FAILED
     */
    void run(StressOptions options, CycleLog log) throws Exception;
}
