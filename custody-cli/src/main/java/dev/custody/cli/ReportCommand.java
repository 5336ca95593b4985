package dev.custody.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code custody report FILE.jfr}: a summary of custody's events in a JFR recording. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Summarises custody's JFR events (dev.custody.Allocation, Free, Misuse, Leak, Books) in a recording.")
final class ReportCommand implements Callable<Integer> {
    private final PrintStream out;

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE.jfr", description = "A JFR recording, e.g. from -XX:StartFlightRecording.")
    private Path recording;

    @Option(names = "--html", paramLabel = "OUT.html", description = "Also write the summary as a self-contained "
            + "HTML page: heaps, tags, peaks, misuse, and leaks by site, largest first.")
    private Path html;

    ReportCommand(PrintStream out) {
        this.out = out;
    }

    /** The first bytes of every JFR recording. */
    private static final byte[] MAGIC = {'F', 'L', 'R', 0};

    @Override
    public Integer call() {
        String problem = html == null ? null : OutputPath.problem(html);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--html: " + problem);
        }
        JfrSummary summary;
        try {
            summary = JfrSummary.read(readable(recording));
        } catch (IOException e) {
            throw cannotRead("it is a JFR file, but reading it failed (" + e.getMessage()
                    + "); a recording still being written is readable only after it is dumped or stopped");
        }
        summary.print(recording, out);
        if (html != null) {
            try {
                JfrHtmlReport.write(html, recording, summary);
            } catch (IOException e) {
                throw new ParameterException(spec.commandLine(), "--html: cannot write '" + html + "': " + e.getMessage());
            }
            out.println("HTML report written to " + html.toAbsolutePath());
        }
        return 0;
    }

    /** The recording, if it exists, can be read and starts as a JFR file does; else why not, in one line. */
    private Path readable(Path file) {
        if (!Files.exists(file)) {
            throw cannotRead("there is no such file");
        }
        if (Files.isDirectory(file)) {
            throw cannotRead("it is a directory");
        }
        if (!Files.isReadable(file)) {
            throw cannotRead("it is not readable (permission denied)");
        }
        byte[] head = new byte[MAGIC.length];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw cannotRead("it is unreadable: " + e.getMessage());
        }
        if (n < MAGIC.length || !Arrays.equals(head, MAGIC)) {
            throw cannotRead("it is not a JFR file (" + (n == 0 ? "it is empty" : "a recording starts with FLR\\0")
                    + "); record one with -XX:StartFlightRecording=filename=FILE.jfr or jcmd PID JFR.start");
        }
        return file;
    }

    private ParameterException cannotRead(String why) {
        return new ParameterException(spec.commandLine(), "Cannot read the recording '" + recording + "': " + why + ".");
    }
}
