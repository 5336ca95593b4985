package dev.custody.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TargetsTest {
    private static final String T = "dev.custody.bench.TrackingBenchmark.";
    private static final String D = "dev.custody.bench.debug.DebugHeapBenchmark.";

    private static RatioTable.Row row(String benchmark, int size, double cpu, double noise) {
        return new RatioTable.Row(benchmark, Map.of("size", String.valueOf(size)), new RatioTable.Score(cpu, noise),
                "ns/op", new RatioTable.Score(cpu, noise), 5);
    }

    @Test
    void eachTargetIsReadFromItsRowsWithItsNoiseAndVerdict() {
        Targets targets = new Targets(List.of(
                row(T + "off", 64, 40, 0.03), row(T + "sampled", 64, 41, 0.04), row(T + "full", 64, 2500, 0.1),
                row(T + "off", 128, 10, 0.01), // other parameters: never read
                row(D + "libc", 64, 50, 0.05), row(D + "poisoning", 64, 70, 0.05)));
        RatioTable.Score sampled = targets.value(Targets.ALL.getFirst()).orElseThrow();
        assertThat(sampled.median()).isCloseTo(41.0 / 40, within(1e-9));
        assertThat(sampled.relError()).isCloseTo(0.05, within(1e-9)); // 0.03 and 0.04 in quadrature

        String md = targets.markdown();
        assertThat(md).contains("| SAMPLED at the default rate / OFF | 1.025 | ± 5.0% | 1.05 | met by the median,"
                + " within the noise |");
        assertThat(md).contains("| FULL, ns per allocate and free (both stacks) | 2500.0 | ± 10.0% | 2000 | missed |");
        assertThat(md).contains("| poisoning / the unwrapped libc heap | 1.400 | ± 7.1% | 1.50 | met |");
        assertThat(md).contains("(was 1.6x; must not regress) | — | — | — | not measured (run its benchmarks) |");
    }
}
