package dev.custody.bench;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line of {@link BenchMain}: {@code [--full] [--rounds N] [--prof NAME]... [REGEX]...},
 * read by picocli ({@code --help} prints the usage).
 *
 * <p>The fast settings suit a 2-core machine shared with other work: 1 fork, 3 warm-up iterations
 * of 1 s, 5 measured iterations of 1 s. {@code --full} is 3 forks, 5 x 2 s warm-up, 10 x 2 s
 * measured. {@code --rounds N} runs the whole selection N times over and pools the iterations, so
 * that every benchmark is measured early and late, under whatever load the machine had then.
 * {@code --prof} adds a JMH profiler by name ({@code gc}, {@code stack}, ...); the
 * {@link CpuTimeProfiler} always runs. Each regex selects benchmarks, as JMH's include; none runs
 * every benchmark of the module.
 *
 * @param full whether to use the long settings
 * @param rounds how many times to run the selection, at least 1
 * @param profilers JMH profiler names
 * @param includes benchmark regexes; empty for all
 */
record BenchArgs(boolean full, int rounds, List<String> profilers, List<String> includes) {
    /** The command line as picocli reads it. */
    @Command(name = "custody bench", sortOptions = false, mixinStandardHelpOptions = false,
            description = "Runs custody-bench's JMH benchmarks and writes ratio tables to target/bench-results.md.")
    static final class Line {
        @Option(names = "--full", description = "Long settings: 3 forks, 5 x 2 s warm-up, 10 x 2 s measured"
                + " (default: 1 fork, 3 x 1 s warm-up, 5 x 1 s measured).")
        boolean full;

        @Option(names = "--rounds", paramLabel = "N", defaultValue = "1",
                description = "Runs the selection N times and pools the iterations (default: ${DEFAULT-VALUE}).")
        String rounds;

        @Option(names = "--prof", paramLabel = "NAME", description = "Adds a JMH profiler by name (gc, stack, ...).")
        List<String> profilers = new ArrayList<>();

        @Parameters(paramLabel = "REGEX", arity = "0..*",
                description = "Selects benchmarks, as JMH's include; none runs every benchmark of the module.")
        List<String> includes = new ArrayList<>();

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Shows this help and exits.")
        boolean help;
    }

    /** The synopsis, for error messages. */
    static final String USAGE = "Usage: " + new CommandLine(new Line()).getHelp().synopsis(0).strip();

    /**
     * The arguments, or empty after printing the usage to {@code out} for {@code --help}.
     *
     * @throws IllegalArgumentException for an unknown option, an option without its value or a
     *     round count that is not a whole number of at least 1, with the usage in its message
     */
    static Optional<BenchArgs> parseOrHelp(PrintStream out, String... args) {
        Line line = new Line();
        CommandLine cl = new CommandLine(line);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "; " + USAGE, e);
        }
        if (cl.isUsageHelpRequested()) {
            cl.usage(out);
            return Optional.empty();
        }
        return Optional.of(new BenchArgs(line.full, positive(line.rounds), List.copyOf(line.profilers),
                List.copyOf(line.includes)));
    }

    /**
     * The arguments, where help is not asked for.
     *
     * @throws IllegalArgumentException as {@link #parseOrHelp}, and for {@code --help}
     */
    static BenchArgs parse(String... args) {
        return parseOrHelp(new PrintStream(OutputStream.nullOutputStream()), args)
                .orElseThrow(() -> new IllegalArgumentException("--help asks for the usage: " + USAGE));
    }

    private static int positive(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what was wrong
        }
        throw new IllegalArgumentException("--rounds needs a whole number of at least 1, not '" + text + "'; " + USAGE);
    }

    /** The settings, for the report. */
    String settings() {
        return (full ? "full: 3 forks, 5 x 2 s warm-up, 10 x 2 s measured" : "fast: 1 fork, 3 x 1 s warm-up, 5 x 1 s measured")
                + (rounds > 1 ? ", " + rounds + " rounds pooled" : "")
                + (profilers.isEmpty() ? "" : ", profilers " + profilers);
    }

    /** JMH options for these arguments, writing JMH's JSON result to {@code json}. */
    Options options(Path json) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .forks(full ? 3 : 1)
                .warmupIterations(full ? 5 : 3)
                .warmupTime(TimeValue.seconds(full ? 2 : 1))
                .measurementIterations(full ? 10 : 5)
                .measurementTime(TimeValue.seconds(full ? 2 : 1))
                .threads(1)
                .shouldFailOnError(true)
                .addProfiler(CpuTimeProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        includes.forEach(b::include);
        profilers.forEach(b::addProfiler);
        return b.build();
    }
}
