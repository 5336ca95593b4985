package dev.custody.cli;

import java.time.Duration;

/**
 * One scenario's finished run.
 *
 * @param scenario the scenario
 * @param log its cycles, notes and failures
 * @param outcome STABLE, GROWING or FAILED
 * @param elapsed how long it ran (shown, never judged)
 */
public record ScenarioRun(Scenario scenario, CycleLog log, Outcome outcome, Duration elapsed) {
}
