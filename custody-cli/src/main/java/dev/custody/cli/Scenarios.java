package dev.custody.cli;

import java.util.List;
import java.util.Optional;

/**
 * The scenarios of {@code custody stress}, in the order {@code --scenario all} runs them.
 * Adding a scenario is one line in {@link #ALL}.
 */
public final class Scenarios {
    private static final Scenario[] ALL = {
        new LevelsScenario(),
        new RecordingsScenario(),
        new PluginScenario(),
        new RemoteScenario(),
        new JvmScenario(),
    };

    private final List<Scenario> scenarios;

    /**
     * A registry of the given scenarios.
     *
     * @param scenarios the scenarios, in the order {@code --scenario all} runs them
     * @throws IllegalArgumentException if two scenarios have the same name
     */
    public Scenarios(List<Scenario> scenarios) {
        long distinct = scenarios.stream().map(Scenario::name).distinct().count();
        if (distinct != scenarios.size()) {
            throw new IllegalArgumentException("scenario names are not distinct: "
                    + scenarios.stream().map(Scenario::name).toList());
        }
        this.scenarios = List.copyOf(scenarios);
    }

    /**
     * The scenarios built into custody.
     *
     * @return levels, recordings, plugin, remote and jvm, in that order
     */
    public static Scenarios builtIn() {
        return new Scenarios(List.of(ALL));
    }

    /**
     * All scenarios, in order.
     *
     * @return an unmodifiable list
     */
    public List<Scenario> all() {
        return scenarios;
    }

    /**
     * The scenario with this name, if there is one.
     *
     * @param name a name as given to {@code --scenario}
     * @return the scenario, or empty
     */
    public Optional<Scenario> find(String name) {
        return scenarios.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * The known names, comma separated, for messages.
     *
     * @return such as {@code "levels, recordings"}, or {@code "(none registered)"}
     */
    public String names() {
        return scenarios.isEmpty() ? "(none registered)"
                : String.join(", ", scenarios.stream().map(Scenario::name).toList());
    }
}
