package dev.custody.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code custody} command: {@code stress} (the main job), {@code report} (a JFR
 * recording's custody events), {@code run} and {@code attach} (the agent, for any JVM program),
 * {@code levels}. The {@code ./custody} launcher adds {@code test}, {@code soak}, {@code bench}
 * and {@code check-report}, which drive Maven and the browser check rather than this JVM; the
 * help and the no-command message list them too.
 *
 * <p>Exit status: 0 when every scenario is STABLE, 1 when one is GROWING, 2 for a failure or
 * bad usage (the usage error, and where to find help, are printed on standard error).
 */
@Command(name = "custody", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Custody of memory outside the Java heap: who allocated it, who owns it, "
                + "who may free it, and has it come home.")
public final class Main implements Callable<Integer> {
    /** The launcher's own commands, which run Maven or a browser rather than this JVM. */
    static final Map<String, String> LAUNCHER_COMMANDS = launcherCommands();
    /** Exit status for a failure or bad usage. */
    static final int FAILURE = 2;

    @Spec
    private CommandSpec spec;

    /** Only {@link #run} makes the top command, for picocli. */
    private Main() {
    }

    private static Map<String, String> launcherCommands() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("test", "The fast test tier: mvn -B test on JDK 25 (what CI runs).");
        m.put("soak", "The soak tier: full-count tests, stress --soak, the benchmarks.");
        m.put("bench", "The JMH benchmarks of custody-bench, JMH-style arguments.");
        m.put("check-report", "Checks an HTML report FILE.html in headless Chromium.");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * The command line from a terminal.
     *
     * @param args the arguments, such as {@code stress --cycles 5}
     */
    public static void main(String[] args) {
        System.exit(run(Scenarios.builtIn(), System.out, System.err, args));
    }

    /**
     * Runs the command line with the given scenarios, in this process's environment.
     *
     * @param scenarios the scenarios {@code stress} may run, such as {@link Scenarios#builtIn()}
     * @param out where the commands print their results (the standard output of a terminal)
     * @param err where usage errors, diagnostics and progress go
     * @param args the arguments, such as {@code stress --cycles 5}
     * @return the exit status: 0 STABLE, 1 GROWING, 2 failure or bad usage
     */
    public static int run(Scenarios scenarios, PrintStream out, PrintStream err, String... args) {
        return run(scenarios, out, err, System.getenv(), args);
    }

    /**
     * Runs the command line with the given scenarios and the environment that {@code run} hands
     * to the command it starts.
     *
     * @return the exit status: 0 STABLE, 1 GROWING, 2 failure or bad usage; for {@code run}, the command's
     */
    static int run(Scenarios scenarios, PrintStream out, PrintStream err, Map<String, String> env, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("stress", new StressCommand(scenarios, out, err));
        cl.addSubcommand("report", new ReportCommand(out));
        cl.addSubcommand("run", new RunCommand(out, err, env));
        cl.addSubcommand("attach", new AttachCommand(out, err));
        cl.addSubcommand("levels", new LevelsCommand(out, err));
        cl.addSubcommand("help", new CommandLine.HelpCommand());
        cl.getSubcommands().get("stress").getCommandSpec().usageMessage()
                .footer("", "Scenarios: " + scenarios.names());
        cl.getCommandSpec().usageMessage().footer(launcherFooter());
        cl.registerConverter(Integer.class, s -> (int) wholeNumber(s, Integer.MIN_VALUE, Integer.MAX_VALUE));
        cl.registerConverter(Integer.TYPE, s -> (int) wholeNumber(s, Integer.MIN_VALUE, Integer.MAX_VALUE));
        cl.registerConverter(Long.class, s -> wholeNumber(s, Long.MIN_VALUE, Long.MAX_VALUE));
        cl.registerConverter(Long.TYPE, s -> wholeNumber(s, Long.MIN_VALUE, Long.MAX_VALUE));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, rejected) -> {
            CommandLine bad = e.getCommandLine();
            if (bad.getCommand() instanceof CommandLine.IParameterExceptionHandler own) {
                return own.handleParseException(e, rejected); // a command with its own usage-error format
            }
            bad.getErr().println(bad.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, bad.getErr());
            bad.getErr().println("Try '" + bad.getCommandSpec().qualifiedName() + " --help' for more information.");
            return bad.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("custody " + commandLine.getCommandName() + ": " + e);
            e.printStackTrace(commandLine.getErr());
            return FAILURE;
        });
        return cl.execute(args);
    }

    /**
     * The help's footer: the launcher's commands, in the layout of picocli's command list, each
     * line within picocli's 80 columns so that it is not wrapped.
     */
    private static String[] launcherFooter() {
        List<String> lines = new ArrayList<>();
        lines.add("Commands of the ./custody launcher (Maven and a browser, not this JVM):");
        LAUNCHER_COMMANDS.forEach((name, what) -> lines.add(String.format("  %-14s%s", name, what)));
        return lines.toArray(String[]::new);
    }

    /**
     * A whole number for an {@code int} or {@code long} option, refused in words a person reads
     * once: {@code '--cycles' needs a whole number, such as 20; 'many' is not one}.
     */
    private static long wholeNumber(String text, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            if (text.strip().matches("[+-]?\\d+")) {
                throw new CommandLine.TypeConversionException("'" + text + "' is too large: the most it can be is "
                        + max);
            }
            throw new CommandLine.TypeConversionException("'" + text + "' is not a whole number (such as 20)");
        }
        if (v < min || v > max) {
            throw new CommandLine.TypeConversionException("'" + text + "' is out of range: it must lie between "
                    + min + " and " + max);
        }
        return v;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: give one of "
                + String.join(", ", spec.subcommands().keySet()) + ", or of the launcher's "
                + String.join(", ", LAUNCHER_COMMANDS.keySet()));
    }
}
