package dev.custody.bench;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RatioTableTest {
    private static final String A = "dev.custody.bench.AllocateBenchmark.";
    private static final String T = "dev.custody.bench.TrackingBenchmark.";

    private static RatioTable.Row row(String benchmark, Map<String, String> params, double wall, double cpu) {
        return new RatioTable.Row(benchmark, params, new RatioTable.Score(wall, 0.1), "ns/op",
                Double.isNaN(cpu) ? RatioTable.Score.NONE : new RatioTable.Score(cpu, 0.2), 5);
    }

    @Test
    void eachRowIsMeasuredAgainstTheBaselineWithItsParameters() {
        RatioTable.Row raw64 = row(A + "rawMalloc", Map.of("size", "64"), 20, 10);
        RatioTable.Row raw1k = row(A + "rawMalloc", Map.of("size", "1024"), 40, 20);
        RatioTable.Row custody64 = row(A + "custodyLibc", Map.of("size", "64"), 50, 30);
        RatioTable table = new RatioTable(List.of(custody64, raw1k, raw64), Set.of(A + "rawMalloc"));

        assertThat(table.baselineOf(custody64)).contains(raw64);
        assertThat(table.baselineOf(raw1k)).contains(raw1k);
        RatioTable.Score ratio = custody64.wall().over(raw64.wall());
        assertThat(ratio.median()).isEqualTo(2.5);
        assertThat(ratio.relError()).isCloseTo(Math.sqrt(0.02), within(1e-12));
    }

    @Test
    void aBaselineWithFewerParametersCoversEveryVariantOfTheOthers() {
        RatioTable.Row untracked = row(T + "untracked", Map.of("size", "64"), 100, Double.NaN);
        RatioTable.Row full = row(T + "tracked", Map.of("size", "64", "level", "FULL"), 3000, Double.NaN);
        RatioTable.Row other = row(T + "tracked", Map.of("size", "128", "level", "FULL"), 3000, Double.NaN);
        RatioTable table = new RatioTable(List.of(untracked, full, other), Set.of(T + "untracked"));

        assertThat(table.baselineOf(full)).contains(untracked);
        assertThat(table.baselineOf(other)).isEmpty();
        String md = table.markdown();
        assertThat(md).contains("| tracked | level=FULL, size=64 | 3000.0 ns/op | ± 10% | 30.00 ± 4.24 | — | — |");
        assertThat(md).contains("| tracked | level=FULL, size=128 | 3000.0 ns/op | ± 10% | — | — | — |");
    }

    @Test
    void markdownHasOneSectionPerClassWithTheBaselineFirstThenByScore() {
        RatioTable table = new RatioTable(List.of(
                row(A + "nettyPooled", Map.of("size", "64"), 70, 60),
                row(A + "custodyLibc", Map.of("size", "64"), 50, 30),
                row(A + "rawMalloc", Map.of("size", "64"), 20, 10),
                row(T + "untracked", Map.of("size", "64"), 100, 90)), Set.of(A + "rawMalloc"));

        String md = table.markdown();
        assertThat(md).contains("## AllocateBenchmark\n", "## TrackingBenchmark\n");
        assertThat(md.indexOf("| rawMalloc (baseline) | size=64 | 20.0 ns/op | ± 10% | 1.00 | 10.0 | 1.00 |"))
                .isPositive()
                .isLessThan(md.indexOf("| custodyLibc | size=64 | 50.0 ns/op | ± 10% | 2.50 ± 0.35 | 30.0 | 3.00 ± 0.85 |"));
        assertThat(md.indexOf("| custodyLibc |")).isLessThan(md.indexOf("| nettyPooled |"));
        // no baseline in the class: scores without ratios
        assertThat(md).contains("| untracked | size=64 | 100.0 ns/op | ± 10% | — | 90.0 | — |");
    }
}
