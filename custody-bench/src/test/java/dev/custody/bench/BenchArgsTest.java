package dev.custody.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchArgsTest {
    @Test
    void noArgumentsMeansFastSettingsForEveryBenchmark() {
        BenchArgs args = BenchArgs.parse();
        assertThat(args).isEqualTo(new BenchArgs(false, 1, List.of(), List.of()));
        Options o = args.options(Path.of("r.json"));
        assertThat(o.getForkCount().get()).isEqualTo(1);
        assertThat(o.getWarmupIterations().get()).isEqualTo(3);
        assertThat(o.getMeasurementIterations().get()).isEqualTo(5);
        assertThat(o.getMeasurementTime().get()).isEqualTo(TimeValue.seconds(1));
        assertThat(o.getIncludes()).isEmpty();
        assertThat(o.getResult().get()).isEqualTo("r.json");
        assertThat(o.getProfilers()).extracting(p -> p.getKlass()).contains(CpuTimeProfiler.class.getName());
    }

    @Test
    void fullRoundsProfilersAndRegexes() {
        BenchArgs args = BenchArgs.parse("--full", "--rounds", "3", "--prof", "gc", "Allocate", "Tracking");
        assertThat(args).isEqualTo(new BenchArgs(true, 3, List.of("gc"), List.of("Allocate", "Tracking")));
        Options o = args.options(Path.of("r.json"));
        assertThat(o.getForkCount().get()).isEqualTo(3);
        assertThat(o.getMeasurementIterations().get()).isEqualTo(10);
        assertThat(o.getIncludes()).containsExactly("Allocate", "Tracking");
        assertThat(o.getProfilers()).extracting(p -> p.getKlass()).contains("gc");
        assertThat(args.settings()).contains("3 forks", "3 rounds pooled", "[gc]");
    }

    @Test
    void badArgumentsAreRefusedWithTheUsage() {
        assertThat(BenchArgs.USAGE).isEqualTo("Usage: custody bench [-h] [--full] [--rounds=N] [--prof=NAME]... [REGEX...]");
        assertThatThrownBy(() -> BenchArgs.parse("--fast")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown option: '--fast'").hasMessageContaining(BenchArgs.USAGE);
        assertThatThrownBy(() -> BenchArgs.parse("--prof")).hasMessageContaining("Missing required parameter for option"
                + " '--prof' (NAME)");
        assertThatThrownBy(() -> BenchArgs.parse("--rounds", "0")).hasMessageContaining("at least 1, not '0'");
        assertThatThrownBy(() -> BenchArgs.parse("--rounds", "two")).hasMessageContaining("not 'two'");
    }

    @Test
    void helpPrintsTheUsageAndRunsNothing() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertThat(BenchArgs.parseOrHelp(new java.io.PrintStream(out, true), "--help")).isEmpty();
        assertThat(out.toString()).startsWith(BenchArgs.USAGE).contains("--rounds=N").contains("REGEX");
    }
}
