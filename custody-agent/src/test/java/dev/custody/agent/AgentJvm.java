package dev.custody.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts a test program in a child JVM under the agent, and reads what the agent reported. */
final class AgentJvm {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Not a JVM flag: asks {@link #command} for the class path with the test libraries on it. */
    static final String LIBRARIES = "(libraries)";

    /** What a child run left: its exit status, its output, and the agent's report at exit (null if none). */
    record Result(int exit, String out, String err, JsonNode report) {}

    private AgentJvm() {}

    static Path agentJar() {
        String jar = System.getProperty("custody.agent.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("custody.agent.jar is not set to the built agent jar: " + jar);
        }
        return Path.of(jar);
    }

    static Path java() {
        return Path.of(ProcessHandle.current().info().command().orElseThrow());
    }

    static Path testClasses() {
        try {
            return Path.of(AgentJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test class path without this module's own classes, for programs that need the test
     * libraries (Netty, Arrow): the agent's classes come from its jar only.
     */
    static String libraryClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String own = Path.of("target", "classes").toAbsolutePath().toString();
        return java.util.Arrays.stream(cp.split(java.io.File.pathSeparator))
                .filter(e -> !Path.of(e).toAbsolutePath().toString().equals(own))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** A command line for {@code main} with the agent (when {@code agentOptions} is not null) and the extra JVM flags. */
    static List<String> command(Class<?> main, String agentOptions, List<String> jvmArgs, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java().toString());
        if (agentOptions != null) {
            cmd.add("-javaagent:" + agentJar() + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        jvmArgs.stream().filter(a -> !a.equals(LIBRARIES)).forEach(cmd::add);
        cmd.add("-cp");
        cmd.add(jvmArgs.contains(LIBRARIES) ? libraryClassPath() : testClasses().toString());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs {@code main} under the agent with its report written to a fresh file, and waits for it. */
    static Result run(Path dir, Class<?> main, List<String> jvmArgs, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return runWith(dir, main, jvmArgs, env, "", args);
    }

    /** As {@link #run(Path, Class, List, Map, String...)}, with more agent options ({@code name=value,…}). */
    static Result runWith(Path dir, Class<?> main, List<String> jvmArgs, Map<String, String> env, String options,
            String... args) throws IOException, InterruptedException {
        Path report = Files.createTempFile(dir, main.getSimpleName(), ".json");
        Files.delete(report);
        List<String> cmd = command(main, "json=" + report + ",print=false" + (options.isEmpty() ? "" : "," + options),
                jvmArgs, args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = Path.of(report + ".out");
        Path err = Path.of(report + ".err");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(main.getSimpleName() + " did not finish in 120 s");
        }
        JsonNode json = Files.exists(report) ? JSON.readTree(report.toFile()) : null;
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), json);
    }

    /** The line of the test program's source that holds {@code marker}, as its sites name it. */
    static int line(Class<?> program, String marker) {
        Path src = Path.of("src/test/java", program.getName().replace('.', '/') + ".java");
        try {
            List<String> lines = Files.readAllLines(src, StandardCharsets.UTF_8);
            int found = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).stripTrailing().endsWith("// " + marker)) {
                    if (found >= 0) {
                        throw new IllegalStateException(marker + " marks two lines of " + src);
                    }
                    found = i + 1;
                }
            }
            if (found < 0) {
                throw new IllegalStateException("no line of " + src + " is marked " + marker);
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The site of a marked line in {@code program.main}-like method {@code method}. */
    static String site(Class<?> program, String method, String marker) {
        return program.getName() + "." + method + "(" + program.getSimpleName() + ".java:" + line(program, marker) + ")";
    }

    /** The entries of {@code array} whose {@code field} equals {@code value}. */
    static List<JsonNode> where(JsonNode array, String field, String value) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText(null))) {
                out.add(n);
            }
        }
        return out;
    }

    /** The one entry of {@code array} whose {@code field} equals {@code value}; fails when there is not exactly one. */
    static JsonNode only(JsonNode array, String field, String value) {
        List<JsonNode> found = where(array, field, value);
        if (found.size() != 1) {
            throw new AssertionError("expected one entry with " + field + "=" + value + " in " + array.toPrettyString()
                    + ", found " + found.size());
        }
        return found.get(0);
    }
}
