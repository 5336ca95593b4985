package dev.custody;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class of the tests in a child JVM, the same JDK, on the class path. */
public final class ChildJvm {
    /** What the child did: its exit status and what it printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    private ChildJvm() {
    }

    /** Runs {@code main} with the given arguments and the default child options. */
    public static Result run(Class<?> main, String... args) throws Exception {
        return run(main, List.of(), args);
    }

    /** Runs {@code main} with extra JVM options before the class path, and the given arguments. */
    public static Result run(Class<?> main, List<String> jvmOptions, String... args) throws Exception {
        return run(main, java.util.Map.of(), jvmOptions, args);
    }

    /** As {@link #run(Class, List, String...)}, with extra environment variables for the child. */
    public static Result run(Class<?> main, java.util.Map<String, String> env, List<String> jvmOptions,
                             String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = String.join(File.pathSeparator, List.of(System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", "")).stream().filter(s -> !s.isEmpty()).toList());
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                "-XX:-CreateCoredumpOnCrash",
                // quiet for the mallinfo2 witness: no G1 remembered sets, no C2 compiler arenas
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, main.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MALLOC_ARENA_MAX", "1");
        pb.environment().putAll(env);
        File out = File.createTempFile("child", ".out");
        File err = File.createTempFile("child", ".err");
        pb.redirectOutput(out).redirectError(err);
        Process p = pb.start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("child JVM did not finish in 60 s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            out.delete();
            err.delete();
        }
    }
}
