package dev.custody.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code custody report FILE.jfr --html OUT.html}: custody's events in any JFR recording as one
 * self-contained page in the stress report's style (inline CSS, no scripts, no network): the heaps
 * and tags with their allocations, frees and peaks, the agent's latest books, every misuse custody
 * refused, and the leaks by allocation site, largest first.
 */
final class JfrHtmlReport {
    private JfrHtmlReport() {
    }

    /**
     * Writes the page.
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, Path recording, JfrSummary summary) throws IOException {
        Files.writeString(file, render(recording, summary), StandardCharsets.UTF_8);
    }

    /** The page as a string. */
    static String render(Path recording, JfrSummary summary) {
        Xhtml x = new Xhtml();
        x.open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8")
                .element("title", "Custody JFR report: " + recording.getFileName()).element("style", HtmlReport.CSS)
                .close();
        x.open("body").element("h1", "Custody JFR report");
        x.element("p", "Custody's events in " + recording + ": " + summary.events() + ". Leaks: "
                + summary.leakCount() + "; misuses refused: " + summary.misuses().size() + ".", "id", "overall");
        if (summary.events() == 0) {
            x.element("p", "No custody event: enable the dev.custody.* events in the recording; for allocations, frees"
                    + " and leak sites, " + dev.custody.Tracking.HOW_TO_TRACK + ".");
            return x.finish();
        }
        x.element("h2", "Heaps and tags");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("heap/tag", "allocations", "allocated", "frees", "freed", "net", "peak"));
        summary.flows().forEach((k, b) -> rows.add(List.of(k.toString(), Long.toString(b.allocations),
                SvgChart.binary(b.allocatedBytes), Long.toString(b.frees), SvgChart.binary(b.freedBytes),
                SvgChart.binary(b.allocatedBytes - b.freedBytes), SvgChart.binary(b.peakNet()))));
        HtmlReport.table(x, rows, true);
        if (!summary.latestBooks().isEmpty()) {
            x.element("h2", "The latest periodic books (dev.custody.Books)");
            List<List<String>> books = new ArrayList<>();
            books.add(List.of("heap/tag", "live", "live blocks", "allocations", "frees"));
            summary.latestBooks().forEach((k, v) -> books.add(List.of(k.toString(), SvgChart.binary(v[0]),
                    Long.toString(v[1]), Long.toString(v[2]), Long.toString(v[3]))));
            HtmlReport.table(x, books, true);
        }
        x.element("h2", "Misuse custody refused");
        if (summary.misuses().isEmpty()) {
            x.element("p", "None.");
        } else {
            List<List<String>> misuse = new ArrayList<>();
            misuse.add(List.of("time", "kind", "heap", "site", "message"));
            summary.misuses().forEach(m -> misuse.add(List.of(m.time().toString(), m.kind(), m.heap(),
                    m.site() == null ? "" : m.site(), m.message())));
            HtmlReport.table(x, misuse, true);
        }
        x.element("h2", "Leaks by site, largest first");
        if (summary.leakCount() == 0) {
            x.element("p", "None reported.");
        } else {
            List<List<String>> leaks = new ArrayList<>();
            leaks.add(List.of("allocation site", "heap/tag", "bytes", "leaks"));
            summary.leaksBySite().forEach((site, l) -> leaks.add(List.of(site, String.join(", ", l.heapTags),
                    SvgChart.binary(l.bytes), Long.toString(l.blocks))));
            HtmlReport.table(x, leaks, true);
        }
        return x.finish();
    }
}
