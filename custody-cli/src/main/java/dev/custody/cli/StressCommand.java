package dev.custody.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code custody stress}: runs scenarios as cycles, prints each cycle and a verdict per scenario. */
@Command(name = "stress", mixinStandardHelpOptions = true,
        description = {"Runs the seed cases as cycles and judges whether memory comes home.",
                "Exit status: 0 all STABLE, 1 a scenario GROWING, 2 a failure or bad usage."})
final class StressCommand implements Callable<Integer> {
    /** Cycles per scenario in the fast tier, when --cycles is not given. */
    static final int FAST_CYCLES = 20;
    /** Cycles per scenario in the soak tier, when --cycles is not given. */
    static final int SOAK_CYCLES = 200;

    private final Scenarios scenarios;
    private final PrintStream out;
    private final PrintStream err;

    @Spec
    private CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "all",
            description = "The scenario to run, or 'all' (default: ${DEFAULT-VALUE}).")
    private String scenario;

    @Option(names = "--cycles", paramLabel = "N",
            description = "Cycles per scenario (default: " + FAST_CYCLES + ", or " + SOAK_CYCLES
                    + " with --soak).")
    private Integer cycles;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: a random one, printed).")
    private Long seed;

    @Option(names = "--demo-mistake", description = "Make each scenario's deliberate mistake, to show custody catch it.")
    private boolean demoMistake;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Also write a self-contained HTML report.")
    private Path report;

    @Option(names = "--soak", description = "Soak tier: full counts inside each scenario, and "
            + SOAK_CYCLES + " cycles unless --cycles is given.")
    private boolean soak;

    StressCommand(Scenarios scenarios, PrintStream out, PrintStream err) {
        this.scenarios = scenarios;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws IOException {
        int n = cycles != null ? cycles : soak ? SOAK_CYCLES : FAST_CYCLES;
        if (n < 1) {
            throw new ParameterException(spec.commandLine(), "--cycles must be at least 1, got " + n);
        }
        List<Scenario> selected = select();
        StressOptions options = new StressOptions(n, seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                demoMistake, report == null ? null : report.toAbsolutePath(), soak);
        Instant started = Instant.now();
        List<ScenarioRun> runs = new ArrayList<>();
        for (Scenario s : selected) {
            runs.add(runOne(s, options));
        }
        Outcome worst = runs.stream().map(ScenarioRun::outcome).reduce(Outcome.STABLE, Outcome::worst);
        out.println();
        for (Outcome o : Outcome.values()) {
            List<String> names = runs.stream().filter(r -> r.outcome() == o).map(r -> r.scenario().name()).toList();
            if (!names.isEmpty()) {
                out.println("custody stress: " + o + ": " + String.join(", ", names));
            }
        }
        if (options.report() != null) {
            HtmlReport.write(options.report(), options, started, runs);
            out.println("custody stress: report written to " + options.report());
        }
        return worst.exitCode();
    }

    private List<Scenario> select() {
        if (scenarios.all().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "No scenario is registered in this build.");
        }
        if (scenario.equals("all")) {
            return scenarios.all();
        }
        return List.of(scenarios.find(scenario).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "Unknown scenario '" + scenario + "'. Known scenarios: " + scenarios.names() + ", or 'all'.")));
    }

    private ScenarioRun runOne(Scenario s, StressOptions options) {
        out.println();
        out.println("== " + s.name() + ": " + s.summary());
        out.println("   cycles " + options.cycles() + ", seed " + options.seed() + ", tier "
                + (options.soak() ? "soak" : "fast") + (options.demoMistake() ? ", demo mistake" : ""));
        CycleLog log = new CycleLog(s.name(), out);
        long t0 = System.nanoTime();
        try {
            s.run(options, log);
        } catch (Exception e) {
            log.fail("the scenario threw " + e);
            e.printStackTrace(err);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        Outcome outcome = Outcome.of(log);
        out.println("[" + s.name() + "] verdict: " + outcome + " (" + log.rows().size() + " cycles in "
                + elapsed.toMillis() + " ms)");
        log.verdict().reasons().forEach(r -> out.println("  - " + r));
        return new ScenarioRun(s, log, outcome, elapsed);
    }
}
