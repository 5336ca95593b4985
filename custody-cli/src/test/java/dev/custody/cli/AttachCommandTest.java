package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custody.cli.programs.WaitingProgram;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody attach}: a real running JVM, attached twice, and the refusals. */
class AttachCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A running program: its process, its standard input, and its standard output line by line. */
    private record Child(Process process, Writer in, BufferedReader out) implements AutoCloseable {
        static Child start(List<String> command, Path err) throws Exception {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            return new Child(p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8),
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }

        String pid() {
            return String.valueOf(process.pid());
        }

        String say(String line) throws Exception {
            in.write(line + "\n");
            in.flush();
            return out.readLine();
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSecondAttachFindsTheResidentAgentAndSeesWhatCameSince() throws Exception {
        Path err = dir.resolve("child.err");
        try (Child child = Child.start(Programs.command(WaitingProgram.class,
                List.of("-XX:+EnableDynamicAgentLoading")), err)) {
            assertThat(child.out().readLine()).isEqualTo("ready");
            Path first = dir.resolve("first.json");
            Run r1 = Programs.cli(Map.of(), "attach", child.pid(), "--json", first.toString());
            assertThat(r1.exit()).as(r1.err()).isZero();
            assertThat(r1.out()).contains("the agent is now resident in process " + child.pid());
            assertThat(r1.err()).as("started with the flag: no JEP 451 note").isEmpty();
            JsonNode before = JSON.readTree(first.toFile());
            assertThat(before.path("mode").asText()).isEqualTo("attach");
            String after = Programs.site(WaitingProgram.class, "keepMore", "AFTER-ATTACH");
            assertThat(before.path("sources").findValuesAsText("site")).doesNotContain(after);

            assertThat(child.say("more")).isEqualTo("done 5");
            Path second = dir.resolve("second.json");
            Run r2 = Programs.cli(Map.of(), "attach", child.pid(), "--json", second.toString());
            assertThat(r2.exit()).as(r2.err()).isZero();
            assertThat(r2.out()).contains("already resident in process " + child.pid()).doesNotContain("now resident");
            JsonNode now = JSON.readTree(second.toFile());
            JsonNode row = null;
            for (JsonNode s : now.path("sources")) {
                if (s.path("site").asText().equals(after)) {
                    row = s;
                }
            }
            assertThat(row).as("a row at %s in %s", after, now.path("sources")).isNotNull();
            assertThat(row.path("liveBlocks").asLong()).isEqualTo(3);
            assertThat(row.path("liveBytes").asLong()).isEqualTo(3 * 8192);
            // The 5 buffers from before the attach were freed under the agent: counted apart, not misuse.
            // The JDK may free a block of its own from before the attach too (a temporary buffer).
            assertThat(now.path("beforeAttach").path("frees").asLong()).isGreaterThanOrEqualTo(5);
            assertThat(now.path("beforeAttach").path("bytes").asLong()).isGreaterThanOrEqualTo(5 * 4096);
            assertThat(now.path("misuse")).isEmpty();
            // One install: the JVM notes the one append to its bootstrap class path once.
            assertThat(Files.readString(err)).containsOnlyOnce("bootstrap classpath has been appended")
                    .doesNotContain("custody-agent: could not install");
        }
    }

    @Test
    void watchPrintsTheBooksAgainUntilInterrupted() throws Exception {
        try (Child child = Child.start(Programs.command(WaitingProgram.class,
                List.of("-XX:+EnableDynamicAgentLoading")), dir.resolve("e"))) {
            assertThat(child.out().readLine()).isEqualTo("ready");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
            Thread watcher = Thread.ofPlatform().start(() -> exit.set(Main.run(Scenarios.builtIn(),
                    new java.io.PrintStream(out, true, StandardCharsets.UTF_8), System.err, Map.of(),
                    "attach", child.pid(), "--watch", "1")));
            String header = "custody-agent: native memory of pid " + child.pid();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.toString(StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(header), -1).length < 3
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            watcher.interrupt();
            watcher.join(10_000);
            assertThat(out.toString(StandardCharsets.UTF_8).split(java.util.regex.Pattern.quote(header), -1))
                    .as("two reports or more").hasSizeGreaterThanOrEqualTo(3);
            assertThat(exit.get()).isZero();
        }
    }

    @Test
    void withoutTheFlagItSaysWhatJep451sWarningMeans() throws Exception {
        try (Child child = Child.start(Programs.command(WaitingProgram.class, List.of()), dir.resolve("e"))) {
            assertThat(child.out().readLine()).isEqualTo("ready");
            Run r = Programs.cli(Map.of(), "attach", child.pid());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err().lines()).hasSize(1).first().asString()
                    .contains("was not started with -XX:+EnableDynamicAgentLoading")
                    .contains("JEP 451");
            assertThat(r.out()).contains("custody-agent: native memory of pid " + child.pid());
        }
    }

    @Test
    void aPidThatDoesNotExistIsRefusedInOneLine() {
        Run r = Programs.cli(Map.of(), "attach", "999999999");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("custody attach: no process with PID 999999999\n");
    }

    @Test
    void aProcessThatIsNotAJvmIsRefusedInOneLine() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Run r = Programs.cli(Map.of(), "attach", String.valueOf(sleep.pid()));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1).first().asString()
                    .startsWith("custody attach: process " + sleep.pid() + " is not a JVM that accepts an attach");
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void aJvmThatRefusesAttachIsRefusedInOneLine() throws Exception {
        try (Child child = Child.start(Programs.command(WaitingProgram.class, List.of("-XX:+DisableAttachMechanism")),
                dir.resolve("e"))) {
            assertThat(child.out().readLine()).isEqualTo("ready");
            Run r = Programs.cli(Map.of(), "attach", child.pid());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1).first().asString()
                    .startsWith("custody attach: process " + child.pid() + " is not a JVM that accepts an attach");
        }
    }

    @Test
    void anOlderJvmIsRefusedAndNothingIsLoaded() throws Exception {
        assumeTrue(Files.isExecutable(Programs.JAVA_17), "JDK 17 at " + Programs.JAVA_17);
        Path src = dir.resolve("Wait.java");
        Files.writeString(src, "public class Wait { public static void main(String[] a) throws Exception {"
                + " System.out.println(\"ready\"); System.in.read(); } }");
        try (Child child = Child.start(List.of(Programs.JAVA_17.toString(), src.toString()), dir.resolve("e"))) {
            assertThat(child.out().readLine()).isEqualTo("ready");
            Run r = Programs.cli(Map.of(), "attach", child.pid());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err().lines()).hasSize(1).first().asString()
                    .startsWith("custody attach: process " + child.pid() + " runs Java 17");
            assertThat(Files.readString(dir.resolve("e"))).doesNotContain("custody-agent");
        }
    }

    @Test
    void aReportPathThatCannotBeWrittenIsRefusedBeforeAttaching() throws Exception {
        try (Child child = Child.start(Programs.command(WaitingProgram.class, List.of("-XX:+EnableDynamicAgentLoading")),
                dir.resolve("e"))) {
            assertThat(child.out().readLine()).isEqualTo("ready");
            Run r = Programs.cli(Map.of(), "attach", child.pid(), "--json", dir.resolve("no/such/r.json").toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("custody attach: cannot write");
            assertThat(Files.readString(dir.resolve("e"))).as("nothing half-attached").doesNotContain("agent");
        }
    }
}
