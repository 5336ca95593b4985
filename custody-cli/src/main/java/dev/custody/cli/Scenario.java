package dev.custody.cli;

/**
 * One scenario of {@code custody stress}: a seed case run as cycles.
 *
 * <p>A scenario records every cycle in the {@link CycleLog} it is given, and cleans up everything
 * it started (child processes, servers, heaps) on every exit, normal or exceptional.
 */
public interface Scenario {
    /**
     * The name given to {@code --scenario}, such as {@code "recordings"}.
     *
     * @return the name, distinct among the registered scenarios
     */
    String name();

    /**
     * One line for {@code --help}.
     *
     * @return what the scenario exercises, in a sentence
     */
    String summary();

    /**
     * Runs {@code options.cycles()} cycles.
     *
     * @param options the run's options: cycles, seed, tracking, demo mistake, injected leak
     * @param log where each cycle's figures are recorded, and notes and failures kept
     * @throws Exception anything unexpected; the run's verdict is then FAILED
     */
    void run(StressOptions options, CycleLog log) throws Exception;
}
