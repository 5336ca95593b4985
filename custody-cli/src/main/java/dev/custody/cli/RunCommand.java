package dev.custody.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code custody run [--json FILE] [--sample-bytes N] -- COMMAND…}: runs any command with the
 * custody agent in every JVM it starts ({@code -javaagent} through {@code JDK_JAVA_OPTIONS}, so
 * that scripts such as {@code mvn test} are covered), prints each JVM's leak report when the
 * command exits, and exits with the command's own status. The first JVM writes {@code FILE},
 * each other one {@code FILE.<pid>}.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a command with the custody agent: exact books of its native memory (direct buffers, "
                + "FFM arenas, sun.misc.Unsafe, the JDK's own) by owner and site, and a leak report when it exits.",
                "Exit status: the command's own; 2 when custody refuses to run it."})
final class RunCommand implements Callable<Integer> {
    /** The launcher's MALLOC_ARENA_MAX before it set its own (or {@link #UNSET}), so that the command gets the user's. */
    static final String OUTER_ARENA_MAX = "CUSTODY_OUTER_MALLOC_ARENA_MAX";
    static final String UNSET = "<unset>";

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;

    @Option(names = "--json", paramLabel = "FILE",
            description = "Write the JSON report here (FILE for the first JVM, FILE.<pid> for the others).")
    private Path json;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write the leak report of every JVM as a self-contained page (no scripts, no network).")
    private Path html;

    @Option(names = "--sample-bytes", paramLabel = "N", defaultValue = "524288",
            description = "Mean bytes between sampled stacks, 0 for none (default: ${DEFAULT-VALUE}).")
    private long sampleBytes;

    @Option(names = "--skip-package", paramLabel = "PREFIX",
            description = "A library package (such as io.netty) whose frames are passed over for a block's site, so that "
                    + "the site is the caller's; the owner stays the library's. Repeatable.")
    private List<String> skip = new ArrayList<>();

    @Option(names = "--enforce", description = "Refuse, with dev.custody.agent.boot.WrongHeapException, a free through "
            + "sun.misc.Unsafe from outside the JDK that custody knows is wrong: an address the JVM's allocator never "
            + "handed out, or one inside a live block. JDK code is never refused.")
    private boolean enforce;

    @Parameters(paramLabel = "COMMAND", arity = "1..*", description = "The command, after --.")
    private List<String> command;

    RunCommand(PrintStream out, PrintStream err, Map<String, String> environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (sampleBytes < 0) {
            return refuse("--sample-bytes must be 0 or more, not " + sampleBytes);
        }
        Path jar = AgentJar.locate().orElse(null);
        if (jar == null) {
            return refuse(AgentJar.missing());
        }
        if (json != null && OutputPath.problem(json) != null) {
            return refuse(OutputPath.problem(json));
        }
        if (html != null && OutputPath.problem(html) != null) {
            return refuse(OutputPath.problem(html));
        }
        for (String p : skip) {
            if (!p.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
                return refuse("--skip-package '" + p + "' is not a package name (such as io.netty)");
            }
        }
        Path java = JavaVersion.ofCommand(command, environment);
        if (java == null) {
            return refuse("no java found for '" + command.get(0) + "' (not on the PATH, and JAVA_HOME is not set)");
        }
        String version = JavaVersion.of(java);
        if (JavaVersion.feature(version) < 25) {
            return refuse("the command's java (" + java + ") is version " + (version == null ? "unknown" : version)
                    + "; the agent needs a JDK 25 or newer: set JAVA_HOME or put a JDK 25 java first on the PATH");
        }
        Path temp = json == null ? Files.createTempDirectory("custody-run") : null;
        Path report = json != null ? json.toAbsolutePath() : temp.resolve("report.json");
        removeReports(report);
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = pb.environment();
        env.clear();
        env.putAll(environment);
        restoreArenaMax(env);
        String agent = "-javaagent:" + jar + "=json=" + report + ",sampleBytes=" + sampleBytes + ",print=false,claim=true"
                + (skip.isEmpty() ? "" : ",skip=" + String.join(":", skip)) + (enforce ? ",enforce=true" : "");
        String existing = env.get("JDK_JAVA_OPTIONS");
        env.put("JDK_JAVA_OPTIONS", (existing == null || existing.isBlank() ? "" : existing + " ") + quoted(agent));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            return refuse("cannot start '" + command.get(0) + "': " + e.getMessage());
        }
        int status = process.waitFor();
        List<Path> written = reports(report);
        if (html != null) {
            AgentHtmlReport.write(html, written, command);
            out.println("custody run: page " + html.toAbsolutePath());
        }
        for (Path r : written) {
            Path text = Path.of(r + ".txt");
            if (Files.exists(text)) {
                err.print(Files.readString(text, StandardCharsets.UTF_8));
                Files.delete(text);
            }
            if (temp != null) {
                Files.deleteIfExists(r);
            } else {
                out.println("custody run: report " + r);
            }
        }
        if (temp != null) {
            Files.deleteIfExists(temp);
        }
        return status;
    }

    private int refuse(String why) {
        err.println("custody run: " + why);
        return Main.FAILURE;
    }

    /** The launcher runs custody with MALLOC_ARENA_MAX=1 for its own witness; the command gets the user's setting back. */
    private static void restoreArenaMax(Map<String, String> env) {
        String outer = env.remove(OUTER_ARENA_MAX);
        if (outer == null) {
            return;
        }
        if (outer.equals(UNSET)) {
            env.remove("MALLOC_ARENA_MAX");
        } else {
            env.put("MALLOC_ARENA_MAX", outer);
        }
    }

    /** JDK_JAVA_OPTIONS splits on white space and honours double quotes. */
    private static String quoted(String option) {
        return option.chars().anyMatch(Character::isWhitespace) ? "\"" + option + "\"" : option;
    }

    /** This run's reports: FILE, then FILE.<pid> in pid order. */
    private static List<Path> reports(Path report) throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.exists(report)) {
            found.add(report);
        }
        Pattern other = Pattern.compile(Pattern.quote(report.getFileName().toString()) + "\\.\\d+");
        List<Path> others = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(report.getParent())) {
            for (Path p : dir) {
                if (other.matcher(p.getFileName().toString()).matches()) {
                    others.add(p);
                }
            }
        }
        others.sort((a, b) -> Long.compare(pid(a), pid(b)));
        found.addAll(others);
        return found;
    }

    private static long pid(Path p) {
        String name = p.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('.') + 1));
    }

    /** Reports an earlier run left under the same name would be taken for this run's. */
    private static void removeReports(Path report) throws IOException {
        for (Path p : reports(report)) {
            Files.deleteIfExists(p);
            Files.deleteIfExists(Path.of(p + ".txt"));
        }
        Files.deleteIfExists(Path.of(report + ".txt"));
    }
}
