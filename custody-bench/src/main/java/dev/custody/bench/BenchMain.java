package dev.custody.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs the benchmarks of this module with JMH and writes their scores as ratios to each class's
 * {@link Baseline}, then the {@linkplain Targets targets} with their ratios and noise: to stdout and to
 * {@code target/bench-results.md}, with JMH's own JSON result in
 * {@code target/bench-results.json} ({@code bench-results-rN.json} per round when there are
 * several), in the {@code target} directory of this module's classes.
 *
 * <p>Arguments: see {@link BenchArgs}. Exit status 0 on success, 2 for bad arguments, 1 if a
 * benchmark failed.
 */
public final class BenchMain {
    private BenchMain() {
    }

    /**
     * Runs the benchmarks, prints the ratio table and the targets, and writes the result files;
     * exits with status 2 for bad arguments and 1 if a benchmark run failed.
     *
     * @param args JMH-style arguments (see {@link BenchArgs}); none runs every benchmark
     * @throws IOException if a result file cannot be written
     * @throws IllegalStateException if a benchmark class, or this module's build directory, cannot be
     *     found
     */
    public static void main(String[] args) throws IOException {
        BenchArgs parsed;
        try {
            Optional<BenchArgs> a = BenchArgs.parseOrHelp(System.out, args);
            if (a.isEmpty()) {
                return; // --help: the usage was printed
            }
            parsed = a.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path target = targetDirectory();
        ResultPool pool = new ResultPool();
        List<String> loads = new ArrayList<>(List.of(loadAverage()));
        List<Path> jsons = new ArrayList<>();
        Instant start = Instant.now();
        BenchmarkParams sample = null;
        for (int round = 1; round <= parsed.rounds(); round++) {
            Path json = target.resolve(parsed.rounds() == 1 ? "bench-results.json" : "bench-results-r" + round + ".json");
            try {
                var results = new Runner(parsed.options(json)).run();
                pool.add(results);
                sample = results.isEmpty() ? sample : results.iterator().next().getParams();
            } catch (RunnerException e) {
                System.err.println("benchmark run failed in round " + round + ": " + e.getMessage());
                System.exit(1);
                return;
            }
            jsons.add(json);
            loads.add(loadAverage());
        }
        List<RatioTable.Row> rows = pool.rows();
        String report = header(parsed, sample, start, loads) + new RatioTable(rows, baselines(rows)).markdown()
                + new Targets(rows).markdown();
        Path md = target.resolve("bench-results.md");
        Files.writeString(md, report);
        System.out.println();
        System.out.print(report);
        System.out.println("Written: " + md + " and " + jsons);
    }

    /** The methods marked {@link Baseline} in the classes that ran. */
    static Set<String> baselines(List<RatioTable.Row> rows) {
        Set<String> out = new HashSet<>();
        rows.stream().map(r -> r.benchmark().substring(0, r.benchmark().lastIndexOf('.'))).distinct()
                .forEach(cls -> {
                    try {
                        for (Method m : Class.forName(cls).getMethods()) {
                            if (m.isAnnotationPresent(Baseline.class)) {
                                out.add(cls + "." + m.getName());
                            }
                        }
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException("benchmark class " + cls + " is not on the class path", e);
                    }
                });
        return out;
    }

    private static String header(BenchArgs args, BenchmarkParams sample, Instant start, List<String> loads) {
        String vm = sample == null ? "no benchmark ran"
                : sample.getVmName() + " " + sample.getJdkVersion() + ", flags " + String.join(" ", sample.getJvmArgs());
        return "# Custody benchmarks\n\n"
                + "- run: " + start.truncatedTo(ChronoUnit.SECONDS) + " to " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
                + ", " + args.settings() + "\n"
                + "- JVM: " + vm + "\n"
                + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores; load average (1, 5, 15 min)"
                + " at the start and after each round: " + String.join("; ", loads) + "\n"
                + "- median: of the measured iterations' wall-clock time per operation; cpu: the fork's CPU time"
                + " per operation (all its threads, GC included), which other work on the machine disturbs less\n"
                + "- noise: half-width of the 99.9% confidence interval of the mean, relative to the mean;"
                + " a ratio is of medians and its ± adds both rows' noise in quadrature\n\n";
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The build directory this class was loaded from: {@code target} for target/classes or a jar in it. */
    private static Path targetDirectory() {
        try {
            Path here = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the build directory of " + BenchMain.class, e);
        }
    }
}
