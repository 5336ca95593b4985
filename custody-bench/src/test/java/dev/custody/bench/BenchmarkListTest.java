package dev.custody.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build's JMH annotation processing found every {@code @Benchmark} method of the module, in
 * every package (ffi and remote included), and each class marks at most one baseline, on a
 * benchmark method.
 */
class BenchmarkListTest {
    @Test
    void generatedListHasEveryBenchmarkMethodOfTheModule() throws Exception {
        Set<String> declared = new HashSet<>();
        for (Class<?> c : benchmarkClasses()) {
            for (Method m : c.getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    declared.add(c.getName() + "." + m.getName());
                }
            }
        }
        Set<String> listed = BenchmarkList.defaultList()
                .find(OutputFormatFactory.createFormatInstance(new PrintStream(OutputStream.nullOutputStream()),
                        VerboseMode.SILENT), List.of(".*"), List.of())
                .stream().map(BenchmarkListEntry::getUsername).collect(Collectors.toSet());

        assertThat(declared).contains(AllocateBenchmark.class.getName() + ".custodyLibc",
                TrackingBenchmark.class.getName() + ".sampled");
        assertThat(listed).isEqualTo(declared);
    }

    @Test
    void eachClassHasAtMostOneBaselineAndItIsABenchmark() throws Exception {
        for (Class<?> c : benchmarkClasses()) {
            List<Method> baselines = Stream.of(c.getMethods()).filter(m -> m.isAnnotationPresent(Baseline.class)).toList();
            assertThat(baselines).as("baselines of %s", c).hasSizeLessThanOrEqualTo(1);
            baselines.forEach(m -> assertThat(m.isAnnotationPresent(Benchmark.class)).as("%s is a @Benchmark", m).isTrue());
        }
    }

    /** Every class of the module's main output under dev/custody/bench, JMH's generated ones aside. */
    private static List<Class<?>> benchmarkClasses() throws Exception {
        Path classes = Path.of(AllocateBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/custody/bench"))) {
            for (String n : files.map(p -> classes.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("jmh_generated")).toList()) {
                out.add(Class.forName(n.substring(0, n.length() - ".class".length()).replace('/', '.')));
            }
        }
        return out;
    }
}
