package dev.custody.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test programs in child JVMs, and the CLI's run and attach commands in this JVM. */
final class Programs {
    static final Path JAVA_17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");

    private Programs() {}

    static String java() {
        return ProcessHandle.current().info().command().orElseThrow();
    }

    static String testClasses() {
        try {
            return Path.of(Programs.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code java [flags] -cp <test classes> main args…} */
    static List<String> command(Class<?> main, List<String> flags, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", testClasses(), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The CLI in this JVM, with {@code env} as the environment that {@code run} passes on. */
    static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(Scenarios.builtIn(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The line of a test program's source marked {@code // MARKER}, as a site. */
    static String site(Class<?> program, String method, String marker) throws Exception {
        Path src = Path.of("src/test/java", program.getName().replace('.', '/') + ".java");
        List<String> lines = Files.readAllLines(src);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).stripTrailing().endsWith("// " + marker)) {
                return program.getName() + "." + method + "(" + program.getSimpleName() + ".java:" + (i + 1) + ")";
            }
        }
        throw new IllegalStateException("no line of " + src + " is marked " + marker);
    }

    /** What a child JVM did. */
    record Child(int exit, String out, String err) {
    }

    /**
     * {@code main} in a child JVM on this JVM's class and module path, quiet for the mallinfo2 witness:
     * serial GC (no G1 remembered sets), C1 only (no C2 compiler arenas), 64 MiB of heap,
     * {@code MALLOC_ARENA_MAX=1}, native access. It must finish within two minutes.
     */
    static Child quietChild(Class<?> main, String... args) throws Exception {
        String path = String.join(java.io.File.pathSeparator, java.util.stream.Stream.of(
                System.getProperty("jdk.module.path", ""), System.getProperty("java.class.path", ""), testClasses())
                .filter(p -> !p.isEmpty()).toList());
        List<String> cmd = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", path, main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MALLOC_ARENA_MAX", "1");
        Path out = Files.createTempFile("child", ".out");
        Path err = Files.createTempFile("child", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("the child JVM did not finish in 120 s: " + cmd);
            }
            return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.delete(out);
            Files.delete(err);
        }
    }
}
