package dev.custody.bench;

import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@link BenchMain}: {@code [--full] [--rounds N] [--prof NAME]... [REGEX]...}.
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
    static final String USAGE = "usage: BenchMain [--full] [--rounds N] [--prof NAME]... [REGEX]...";

    /**
     * @throws IllegalArgumentException for an unknown option, an option without its value or a
     *     round count that is not a whole number of at least 1, with the usage in its message
     */
    static BenchArgs parse(String... args) {
        boolean full = false;
        int rounds = 1;
        List<String> profilers = new ArrayList<>();
        List<String> includes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--full")) {
                full = true;
            } else if (a.equals("--rounds")) {
                rounds = positive(value(args, ++i, a), a);
            } else if (a.equals("--prof")) {
                profilers.add(value(args, ++i, a));
            } else if (a.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + a + "'; " + USAGE);
            } else {
                includes.add(a);
            }
        }
        return new BenchArgs(full, rounds, List.copyOf(profilers), List.copyOf(includes));
    }

    private static String value(String[] args, int i, String option) {
        if (i == args.length) {
            throw new IllegalArgumentException(option + " needs a value; " + USAGE);
        }
        return args[i];
    }

    private static int positive(String text, String option) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what was wrong
        }
        throw new IllegalArgumentException(option + " needs a whole number of at least 1, not '" + text + "'; " + USAGE);
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
