package dev.custody.agent;

import dev.custody.agent.boot.Hooks;
import dev.custody.agent.boot.Report;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Where this JVM writes its report at exit. With {@code claim=true} the first JVM to start takes
 * the file itself and every other one writes {@code FILE.<pid>}; the file is taken when the agent
 * starts, so the command's own JVM gets it even when its children exit first.
 */
final class ExitReport {
    private final File json;

    private ExitReport(File json) {
        this.json = json;
    }

    static ExitReport claim(AgentOptions options) throws IOException {
        File file = options.json().toFile();
        if (options.claim()) {
            Hooks.beginAgentWork();
            try {
                if (!file.createNewFile()) {
                    file = new File(file.getPath() + "." + ProcessHandle.current().pid());
                }
            } finally {
                Hooks.endAgentWork();
            }
        }
        return new ExitReport(file);
    }

    /** Writes the JSON report, and with {@code withText} the text beside it as {@code FILE.txt}. */
    void write(Report report, boolean withText) throws IOException {
        // java.io rather than NIO: no temporary direct buffers of the agent's own
        write(json, report.json());
        if (withText) {
            write(new File(json.getPath() + ".txt"), report.text());
        }
    }

    private static void write(File file, String text) throws IOException {
        try (OutputStream out = new FileOutputStream(file)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
