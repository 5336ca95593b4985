package dev.custody.cli;

import dev.custody.Tracking;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

    @Option(names = "--scenario", paramLabel = "NAME[,NAME...]", defaultValue = "all",
            description = "The scenarios to run, comma separated, any case, or 'all' (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--json", paramLabel = "FILE.json", description = "Also write the verdicts and every cycle's "
            + "figures as JSON, for CI.")
    private Path json;

    @Option(names = "--track", paramLabel = "off|sampled|full", defaultValue = "off",
            description = "Site tracking on every heap the scenarios use: full records every allocation's site, "
                    + "sampled one in " + StressOptions.SAMPLE_EVERY + " (default: ${DEFAULT-VALUE}). A GROWING "
                    + "verdict lists the leaked blocks' sites.")
    private String track;

    @Option(names = "--inject-leak", paramLabel = "SCENARIO[:BYTES]",
            description = "Positive control: SCENARIO leaks BYTES per cycle on its own heap (default "
                    + LeakInjection.DEFAULT_BYTES + " B = 1 MiB; K, M, G suffixes; for remote BYTES counts pins, "
                    + "default " + LeakInjection.DEFAULT_PINS + "). Its verdict must be GROWING.")
    private String injectLeak;

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
        Tracking tracking = tracking();
        LeakInjection leak = leak(selected);
        checkOutput("--report", report);
        checkOutput("--json", json);
        StressOptions options = new StressOptions(n, seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                demoMistake, report == null ? null : report.toAbsolutePath(), soak, tracking, leak);
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
        if (json != null) {
            Files.writeString(json, StressJson.render(options, worst, runs), StandardCharsets.UTF_8);
            out.println("custody stress: JSON written to " + json.toAbsolutePath());
        }
        return worst.exitCode();
    }

    /** The scenarios named by --scenario, in the registry's order, each once. */
    private List<Scenario> select() {
        if (scenarios.all().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "No scenario is registered in this build.");
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : scenario.split(",", -1)) {
            String n = name.trim().toLowerCase(Locale.ROOT);
            if (n.equals("all")) {
                return scenarios.all();
            }
            if (scenarios.find(n).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "Unknown scenario '" + name.trim()
                        + "'. Known scenarios: " + scenarios.names() + ", or 'all'.");
            }
            wanted.add(n);
        }
        return scenarios.all().stream().filter(s -> wanted.contains(s.name())).toList();
    }

    private Tracking tracking() {
        try {
            return Tracking.valueOf(track.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--track must be off, sampled or full, got '" + track + "'");
        }
    }

    /** The --inject-leak, checked: a known scenario, and one of those selected. */
    private LeakInjection leak(List<Scenario> selected) {
        if (injectLeak == null) {
            return null;
        }
        LeakInjection leak;
        try {
            leak = LeakInjection.parse(injectLeak);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (scenarios.find(leak.scenario()).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--inject-leak: unknown scenario '" + leak.scenario()
                    + "'. Known scenarios: " + scenarios.names() + ".");
        }
        if (selected.stream().noneMatch(s -> s.name().equals(leak.scenario()))) {
            throw new ParameterException(spec.commandLine(), "--inject-leak " + leak.scenario()
                    + ": that scenario is not selected (--scenario " + scenario + ")");
        }
        return leak;
    }

    /** Refuses an output path that cannot be written, before any scenario runs. */
    private void checkOutput(String option, Path file) {
        String problem = file == null ? null : OutputPath.problem(file);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), option + ": " + problem);
        }
    }

    private ScenarioRun runOne(Scenario s, StressOptions options) {
        out.println();
        out.println("== " + s.name() + ": " + s.summary());
        out.println("   cycles " + options.cycles() + ", seed " + options.seed() + ", tier "
                + (options.soak() ? "soak" : "fast") + (options.demoMistake() ? ", demo mistake" : ""));
        if (options.leak() != null && options.leak().scenario().equals(s.name())) {
            out.println("   --inject-leak: " + options.leak().describe() + ", on purpose");
        }
        CycleLog log = new CycleLog(s.name(), out);
        long t0 = System.nanoTime();
        Progress progress = Progress.onTerminal(err, s.name(), options.cycles(), t0);
        log.onCycleEnd(progress::cycle);
        try {
            s.run(options, log);
        } catch (Exception e) {
            log.fail("the scenario threw " + e);
            e.printStackTrace(err);
        }
        progress.done();
        Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);
        Outcome outcome = Outcome.of(log);
        out.println("[" + s.name() + "] verdict: " + outcome + " (" + log.rows().size() + " cycles in "
                + elapsed.toMillis() + " ms)");
        log.verdict().reasons().forEach(r -> out.println("  - " + r));
        return new ScenarioRun(s, log, outcome, elapsed);
    }
}
