package dev.custody.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress line of a scenario on a terminal: {@code [levels] cycle 3 of 20, 4.2 s} on standard
 * error, rewritten in place after every cycle and erased when the scenario ends. The line is
 * written with the cursor put back at its start, so the next table line on standard output
 * overwrites it. Nothing at all is written when the console is not a terminal.
 */
final class Progress {
    private static final Progress NONE = new Progress(null, "", 0, 0);

    private final PrintStream err;
    private final String scenario;
    private final int cycles;
    private final long startNanos;
    private int width;

    private Progress(PrintStream err, String scenario, int cycles, long startNanos) {
        this.err = err;
        this.scenario = scenario;
        this.cycles = cycles;
        this.startNanos = startNanos;
    }

    /** A progress line on {@code err} when this JVM's console is a terminal, else one that writes nothing. */
    static Progress onTerminal(PrintStream err, String scenario, int cycles, long startNanos) {
        java.io.Console console = System.console();
        return console != null && console.isTerminal() ? new Progress(err, scenario, cycles, startNanos) : NONE;
    }

    /** After cycle {@code k}. */
    void cycle(int k) {
        if (err == null) {
            return;
        }
        String line = String.format(Locale.ROOT, "[%s] cycle %d of %d, %.1f s", scenario, k, cycles,
                (System.nanoTime() - startNanos) / 1e9);
        width = Math.max(width, line.length());
        err.print(line + "\r");
        err.flush();
    }

    /** Erases the line. */
    void done() {
        if (err != null && width > 0) {
            err.print(" ".repeat(width) + "\r");
            err.flush();
        }
    }
}
