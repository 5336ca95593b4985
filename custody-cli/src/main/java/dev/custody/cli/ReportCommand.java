package dev.custody.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code custody report FILE.jfr}: a summary of custody's events in a JFR recording. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Summarises custody's JFR events (dev.custody.Allocation, Free, Misuse, Leak) in a recording.")
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

    @Override
    public Integer call() {
        if (!Files.isReadable(recording)) {
            throw new ParameterException(spec.commandLine(), "Cannot read the recording '" + recording + "'.");
        }
        String problem = html == null ? null : OutputPath.problem(html);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--html: " + problem);
        }
        JfrSummary summary;
        try {
            summary = JfrSummary.read(recording);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "'" + recording + "' is not a readable JFR recording: "
                    + e.getMessage());
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
}
