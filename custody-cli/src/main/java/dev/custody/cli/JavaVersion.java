package dev.custody.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The feature version of a Java installation, as its {@code java -version} or its properties say. */
final class JavaVersion {
    private static final Pattern VERSION = Pattern.compile("version \"([^\"]+)\"");

    private JavaVersion() {}

    /** The feature version in a version string: 25 for "25.0.1", 8 for "1.8.0_402"; -1 when it has none. */
    static int feature(String version) {
        if (version == null) {
            return -1;
        }
        String v = version.startsWith("1.") ? version.substring(2) : version;
        Matcher m = Pattern.compile("^(\\d+)").matcher(v);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The java binary a command runs: the command itself when it is {@code java}, else JAVA_HOME's, else the PATH's. */
    static Path ofCommand(List<String> command, Map<String, String> env) {
        String first = command.get(0);
        Path firstPath = Path.of(first);
        if (firstPath.getFileName().toString().equals("java")) {
            return first.contains("/") ? firstPath : onPath("java", env);
        }
        String home = env.get("JAVA_HOME");
        if (home != null && !home.isBlank() && Files.isExecutable(Path.of(home, "bin", "java"))) {
            return Path.of(home, "bin", "java");
        }
        return onPath("java", env);
    }

    private static Path onPath(String name, Map<String, String> env) {
        for (String dir : env.getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** The version string that {@code java -version} prints, or null when it cannot be run. */
    static String of(Path java) {
        if (java == null) {
            return null;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true);
            pb.environment().remove("JDK_JAVA_OPTIONS");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            Matcher m = VERSION.matcher(new String(out, StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
