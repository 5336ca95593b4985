package dev.custody.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code custody} command: {@code stress} (the main job), {@code report} (a JFR
 * recording's custody events), {@code run} and {@code attach} (the agent, for any JVM program). The {@code ./custody} launcher adds {@code test}, {@code soak}
 * and {@code bench}, which drive Maven and the browser check rather than this JVM.
 *
 * <p>Exit status: 0 when every scenario is STABLE, 1 when one is GROWING, 2 for a failure or
 * bad usage (the usage error, and where to find help, are printed on standard error).
 */
@Command(name = "custody", mixinStandardHelpOptions = true, version = "custody 0.1.0",
        description = "Custody of memory outside the Java heap: who allocated it, who owns it, "
                + "who may free it, and has it come home.")
public final class Main implements Callable<Integer> {
    /** Exit status for a failure or bad usage. */
    static final int FAILURE = 2;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(Scenarios.builtIn(), System.out, System.err, args));
    }

    /**
     * Runs the command line with the given scenarios.
     *
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

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: give one of "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
