package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance of issue 15: verdicts that never cry wolf, and a positive control that always
 * says GROWING. Each run is {@code custody stress} in its own JVM, started as the launcher starts it
 * (its fixed, pre-touched Java heap read from the {@code ./custody} script itself, {@code
 * MALLOC_ARENA_MAX=1}, native access), while another process keeps both cores busy.
 *
 * <p>Soak tier ({@code -Psoak}): 20 default runs (every scenario, 20 cycles), all STABLE; then 20 runs
 * with {@code --inject-leak}, rotating through the scenarios (each run selects the scenario it
 * injects into), all GROWING and naming the leak. Fast tier: 3 + 3 runs at {@code --cycles 5}.
 */
class StressAcceptanceTest {
    private static final boolean SOAK = "soak".equals(System.getProperty("custody.tier", "fast"));
    private static final int RUNS = SOAK ? 20 : 3;
    private static final List<String> SCENARIOS = Scenarios.builtIn().all().stream().map(Scenario::name).toList();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What each scenario's injected leak must be named by in its reasons: the heap and tag, or the pins. */
    private static String leakFigure(String scenario) {
        return switch (scenario) {
            case "levels" -> "libc/stairs B grew from";
            case "recordings" -> "game/paths B grew from";
            case "plugin" -> "libc/plugin-copies B grew from";
            case "remote" -> "session pins grew from";
            case "jvm" -> "agent direct B grew from";
            default -> throw new IllegalArgumentException(scenario);
        };
    }

    @Test
    void defaultRunsUnderLoadAreAllStable(@TempDir Path dir) throws Exception {
        try (CpuLoad load = CpuLoad.start()) {
            for (int i = 0; i < RUNS; i++) {
                JsonNode run = stress(dir, "stable-" + i, List.of());
                assertThat(run.get("verdict").asText()).as(describe(run)).isEqualTo("STABLE");
                assertThat(run.get("exitStatus").asInt()).isZero();
                assertThat(names(run)).containsExactlyElementsOf(SCENARIOS);
            }
        }
    }

    @Test
    void injectedLeaksUnderLoadAreAllGrowingAndNamed(@TempDir Path dir) throws Exception {
        try (CpuLoad load = CpuLoad.start()) {
            for (int i = 0; i < RUNS; i++) {
                String scenario = SCENARIOS.get(i % SCENARIOS.size());
                JsonNode run = stress(dir, "leak-" + i, List.of("--scenario", scenario, "--inject-leak", scenario));
                assertThat(run.get("verdict").asText()).as(describe(run)).isEqualTo("GROWING");
                assertThat(run.get("exitStatus").asInt()).isEqualTo(1);
                JsonNode s = run.get("scenarios").get(0);
                assertThat(s.get("name").asText()).isEqualTo(scenario);
                assertThat(s.get("reasons").toString()).as(describe(run)).contains(leakFigure(scenario));
            }
        }
    }

    @Test
    void theRunsUseTheLaunchersJvmOptions() throws Exception {
        String launcher = Files.readString(Path.of("src", "main", "sh", "custody-env.sh")); // ./custody's and the dist's
        assertThat(stressJvm()).contains("-XX:+AlwaysPreTouch", "-XX:NativeMemoryTracking=summary")
                .anyMatch(f -> f.startsWith("-Xms"));
        assertThat(launcher).contains("MALLOC_ARENA_MAX=1")
                .contains("--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow");
    }

    /** The launchers' {@code STRESS_JVM=(...)} (in custody-env.sh): the JVM options of {@code custody stress}. */
    private static List<String> stressJvm() throws Exception {
        Matcher m = Pattern.compile("(?m)^STRESS_JVM=\\(([^)]*)\\)").matcher(Files.readString(Path.of("src", "main", "sh", "custody-env.sh")));
        assertThat(m.find()).as("STRESS_JVM in src/main/sh/custody-env.sh").isTrue();
        return List.of(m.group(1).trim().split("\\s+"));
    }

    /** One {@code custody stress} in its own JVM; returns its --json document. */
    private static JsonNode stress(Path dir, String name, List<String> args) throws Exception {
        String path = String.join(File.pathSeparator, Stream.of(System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""), Programs.testClasses()).filter(p -> !p.isEmpty()).toList());
        Path json = dir.resolve(name + ".json");
        Path out = dir.resolve(name + ".out");
        List<String> cmd = new ArrayList<>(List.of(Programs.java(), "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"));
        cmd.addAll(stressJvm());
        cmd.addAll(List.of("-Dcustody.agent.jar=" + System.getProperty("custody.agent.jar"), "-cp", path,
                Main.class.getName(), "stress", "--json", json.toString()));
        if (!SOAK) {
            cmd.addAll(List.of("--cycles", "5"));
        }
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("MALLOC_ARENA_MAX", "1");
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            assertThat(p.waitFor(10, TimeUnit.MINUTES)).as("custody stress %s finished within 10 minutes", args).isTrue();
        } finally {
            p.destroyForcibly();
        }
        System.out.printf("custody stress %s: exit %d in %.1f s%n", args, p.exitValue(), (System.nanoTime() - t0) / 1e9);
        assertThat(json).as(Files.readString(out, StandardCharsets.UTF_8)).exists();
        JsonNode run = JSON.readTree(json.toFile());
        return ((com.fasterxml.jackson.databind.node.ObjectNode) run).put("output",
                Files.readString(out, StandardCharsets.UTF_8));
    }

    private static List<String> names(JsonNode run) {
        List<String> names = new ArrayList<>();
        run.get("scenarios").forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    private static String describe(JsonNode run) {
        return run.get("output").asText();
    }

    /** Another process that keeps both cores busy: a JVM spinning on two threads. */
    static final class CpuLoad implements AutoCloseable {
        private final Process process;

        private CpuLoad(Process process) {
            this.process = process;
        }

        static CpuLoad start() throws Exception {
            return new CpuLoad(new ProcessBuilder(Programs.command(Spin.class, List.of("-Xmx32m"), "2"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly().waitFor();
        }
    }

    /** The load's program: N threads that spin until the process is killed. */
    public static final class Spin {
        private static volatile long sink;

        public static void main(String[] args) throws Exception {
            int n = Integer.parseInt(args[0]);
            for (int i = 0; i < n; i++) {
                Thread.ofPlatform().start(() -> {
                    long x = 0;
                    while (true) {
                        x = x * 6364136223846793005L + 1442695040888963407L;
                        if (x == 42) {
                            sink = x;
                        }
                    }
                });
            }
            Thread.currentThread().join();
        }
    }
}
