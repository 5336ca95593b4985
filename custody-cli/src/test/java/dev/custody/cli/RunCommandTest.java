package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.custody.cli.programs.HelloProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody run}: real commands in child JVMs under the agent. */
class RunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static Map<String, String> env() {
        return new HashMap<>(System.getenv());
    }

    private String[] run(Path json, List<String> command) {
        Stream<String> head = Stream.of("run", "--json", json.toString(), "--");
        return Stream.concat(head, command.stream()).toArray(String[]::new);
    }

    @Test
    void helloWorldUnderRunReportsNoMisuseAndPrintsTheReport() throws Exception {
        Path json = dir.resolve("hello.json");
        Run r = Programs.cli(env(), run(json, Programs.command(HelloProgram.class, List.of())));
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(json.toFile());
        assertThat(report.path("misuse")).isEmpty();
        assertThat(report.path("leaks")).isEmpty();
        assertThat(r.err()).contains("custody-agent: native memory of pid " + report.path("pid").asLong())
                .contains("misuse: none");
        assertThat(Files.exists(Path.of(json + ".txt"))).as("the text beside the report is the CLI's to remove").isFalse();
    }

    @Test
    void theCommandsExitStatusIsRunsOwn() throws Exception {
        Run r = Programs.cli(env(), run(dir.resolve("r.json"), Programs.command(HelloProgram.class, List.of(), "3")));
        assertThat(r.exit()).as(r.err()).isEqualTo(3);
    }

    @Test
    void everyJvmWritesItsOwnReportAndTheFirstGetsTheFile() throws Exception {
        Path json = dir.resolve("many.json");
        String one = String.join(" ", Programs.command(HelloProgram.class, List.of()));
        Run r = Programs.cli(env(), run(json, List.of("bash", "-c", one + " && " + one)));
        assertThat(r.exit()).as(r.err()).isZero();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSize(2).first().isEqualTo("many.json");
            assertThat(names.get(1)).matches("many\\.json\\.\\d+");
        }
        long first = JSON.readTree(json.toFile()).path("pid").asLong();
        assertThat(r.err()).contains("native memory of pid " + first);
    }

    @Test
    void theLaunchersMallocArenaMaxIsNotPassedOn() throws Exception {
        Map<String, String> env = env();
        env.put("MALLOC_ARENA_MAX", "1");
        env.put(RunCommand.OUTER_ARENA_MAX, RunCommand.UNSET);
        Path out = dir.resolve("out.txt");
        List<String> cmd = List.of("bash", "-c", String.join(" ", Programs.command(HelloProgram.class, List.of()))
                + " > " + out);
        Run r = Programs.cli(env, run(dir.resolve("r.json"), cmd));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(Files.readString(out)).contains("MALLOC_ARENA_MAX=null");

        env.put(RunCommand.OUTER_ARENA_MAX, "4");
        Programs.cli(env, run(dir.resolve("r2.json"), cmd));
        assertThat(Files.readString(out)).as("the user's own setting comes back").contains("MALLOC_ARENA_MAX=4");
    }

    @Test
    void anOlderJavaIsRefusedInOneLineAndNothingRuns() throws Exception {
        assumeTrue(Files.isExecutable(Programs.JAVA_17), "JDK 17 at " + Programs.JAVA_17);
        Path json = dir.resolve("old.json");
        Run r = Programs.cli(env(), run(json, List.of(Programs.JAVA_17.toString(), "-version")));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1).first().asString()
                .startsWith("custody run: the command's java (" + Programs.JAVA_17 + ") is version 17");
        assertThat(Files.exists(json)).isFalse();
    }

    @Test
    void aReportPathThatCannotBeWrittenIsRefusedBeforeTheCommandRuns() {
        Path marker = dir.resolve("ran");
        Run r = Programs.cli(env(), run(dir.resolve("no/such/folder/r.json"), List.of("touch", marker.toString())));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("custody run: cannot write");
        assertThat(Files.exists(marker)).isFalse();
    }

    @Test
    void customReportReadsARecordingMadeUnderTheAgent() throws Exception {
        Path jfr = dir.resolve("agent.jfr");
        List<String> cmd = Programs.command(dev.custody.cli.programs.HoldingProgram.class,
                List.of("-XX:StartFlightRecording=filename=" + jfr));
        Run r = Programs.cli(env(), run(dir.resolve("r.json"), cmd));
        assertThat(r.exit()).as(r.err()).isZero();
        Run report = Programs.cli(env(), "report", jfr.toString());
        assertThat(report.exit()).as(report.err()).isZero();
        assertThat(report.out()).contains("Books per heap/tag, from the last periodic dev.custody.Books event");
        String line = report.out().lines().filter(l -> l.trim().startsWith("jvm/direct-buffer")).findFirst().orElseThrow();
        assertThat(line.trim().split("\\s+")).as(line).containsSequence("12288", "3");
    }

    @Test
    void htmlWritesTheLeakReportAsASelfContainedPage() throws Exception {
        Path page = dir.resolve("leaks.html");
        List<String> cmd = Programs.command(dev.custody.cli.programs.HoldingProgram.class, List.of());
        Stream<String> head = Stream.of("run", "--html", page.toString(), "--");
        Run r = Programs.cli(env(), Stream.concat(head, cmd.stream()).toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        String html = Files.readString(page);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("id=\"overall\"").contains(">LEAKS<")
                .contains("Leaks still reachable, largest first")
                .contains(Programs.site(dev.custody.cli.programs.HoldingProgram.class, "main", "HELD"))
                .contains("<svg").contains("12.0 KiB").doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");
    }

    @Test
    void aSkipPackageThatIsNoPackageIsRefused() {
        Run r = Programs.cli(env(), "run", "--skip-package", "io..netty", "--", "true");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("custody run: --skip-package 'io..netty' is not a package name (such as io.netty)\n");
    }

    @Test
    void aNegativeSampleRateIsRefused() {
        Run r = Programs.cli(env(), "run", "--sample-bytes", "-1", "--", "true");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("custody run: --sample-bytes must be 0 or more, not -1\n");
    }
}
