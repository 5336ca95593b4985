package dev.custody.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's leak report as a page, in the stress report's style: one self-contained file (inline
 * CSS and SVG, no scripts, no network) with a section per JVM that {@code custody run} started:
 * live bytes by kind, the leaks (still reachable, waiting for the GC or a Cleaner, unknown), the
 * arenas never closed, the JDK's own blocks, misuse, every source, and the sampled sites.
 */
final class AgentHtmlReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CSS = HtmlReport.CSS + """
            svg.bars rect { fill: #4a78b5; }
            svg.bars text { font-size: 12px; fill: #222; }
            td.site { text-align: left; font-family: monospace; font-size: 90%; }
            """;

    private AgentHtmlReport() {
    }

    /**
     * Writes the page of the given JSON reports (each an agent report, first JVM first).
     *
     * @throws IOException if a report cannot be read or the page written
     */
    static void write(Path page, List<Path> reports, List<String> command) throws IOException {
        List<JsonNode> parsed = new ArrayList<>();
        for (Path r : reports) {
            parsed.add(JSON.readTree(r.toFile()));
        }
        Files.writeString(page, render(parsed, command), StandardCharsets.UTF_8);
    }

    static String render(List<JsonNode> reports, List<String> command) {
        long leaks = reports.stream().mapToLong(r -> r.path("leaks").size()).sum();
        long misuse = reports.stream().mapToLong(r -> r.path("misuseTotal").asLong()).sum();
        Xhtml x = new Xhtml();
        x.open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8")
                .element("title", "Custody agent report").element("style", CSS).close();
        x.open("body").element("h1", "Custody agent report");
        x.element("p", "The native memory of every JVM that the command started, as the custody agent booked it: "
                + "each block by kind, owner and allocation site, and what was still live when the JVM exited.");
        HtmlReport.table(x, List.of(
                List.of("command", String.join(" ", command)),
                List.of("JVMs", Integer.toString(reports.size())),
                List.of("leak sites", Long.toString(leaks)),
                List.of("misuse", Long.toString(misuse))), false);
        x.open("p").text("Overall: ").element("span", misuse > 0 ? "MISUSE" : leaks > 0 ? "LEAKS" : "CLEAN",
                "class", misuse > 0 ? "FAILED" : leaks > 0 ? "GROWING" : "STABLE", "id", "overall").close();
        for (JsonNode r : reports) {
            jvm(x, r);
        }
        return x.finish();
    }

    private static void jvm(Xhtml x, JsonNode r) {
        x.open("section", "id", "pid-" + r.path("pid").asLong());
        x.element("h2", "JVM " + r.path("pid").asLong() + " (" + r.path("mode").asText() + ")");
        JsonNode u = r.path("unexplained");
        List<List<String>> summary = new ArrayList<>();
        summary.add(List.of("live blocks", Long.toString(r.path("liveBlocks").asLong())));
        summary.add(List.of("explained by the books", bytes(u.path("explainedBytes").asLong())));
        summary.add(List.of("RSS", bytes(u.path("rssBytes").asLong())));
        summary.add(List.of("RSS the books do not explain", bytes(u.path("unexplainedRssBytes").asLong())));
        if (!u.path("nmtOtherBytes").isNull() && !u.path("nmtOtherBytes").isMissingNode()) {
            summary.add(List.of("NMT malloc \"Other\"", bytes(u.path("nmtOtherBytes").asLong())));
            summary.add(List.of("NMT \"Other\" the books do not explain", bytes(u.path("unexplainedNmtOtherBytes").asLong())));
        }
        HtmlReport.table(x, summary, false);
        x.element("h3", "Live bytes by kind");
        bars(x, r.path("sources"));
        leaks(x, "Leaks still reachable, largest first", r.path("leaks"), "true");
        leaks(x, "Leaks whose owner is unreachable: they wait for the GC or a Cleaner", r.path("leaks"), "false");
        leaks(x, "Live blocks of unknown reachability (Unsafe, mapped files)", r.path("leaks"), "null");
        List<List<String>> arenas = new ArrayList<>();
        arenas.add(List.of("kind", "created at", "arenas", "live", "reachable"));
        for (JsonNode a : r.path("arenas")) {
            if (!a.path("closed").asBoolean() && !a.path("kind").asText().equals("global")) {
                arenas.add(List.of(a.path("kind").asText(), a.path("site").asText(), Long.toString(a.path("count").asLong()),
                        bytes(a.path("liveBytes").asLong()), a.path("reachable").asText()));
            }
        }
        if (arenas.size() > 1) {
            x.element("h3", "Arenas never closed");
            HtmlReport.table(x, arenas, true);
        }
        leaks(x, "The JDK's own blocks, live until exit (not leaks)", r.path("jdkInternal"), null);
        x.open("h3", "id", "misuse-" + r.path("pid").asLong()).text("Misuse: " + r.path("misuseTotal").asLong()).close();
        List<List<String>> misuse = new ArrayList<>();
        misuse.add(List.of("kind", "site", "address", "allocated at"));
        for (JsonNode m : r.path("misuse")) {
            misuse.add(List.of(m.path("kind").asText(), m.path("site").asText(), m.path("address").asText(),
                    m.path("allocationSite").asText("")));
        }
        if (misuse.size() > 1) {
            HtmlReport.table(x, misuse, true);
        }
        x.open("details").element("summary", "Every source: kind, owner, site");
        List<List<String>> sources = new ArrayList<>();
        sources.add(List.of("kind", "owner", "site", "live", "live blocks", "peak", "allocations", "frees"));
        for (JsonNode s : r.path("sources")) {
            sources.add(List.of(s.path("kind").asText(), s.path("owner").asText(), s.path("site").asText(),
                    bytes(s.path("liveBytes").asLong()), Long.toString(s.path("liveBlocks").asLong()),
                    bytes(s.path("peakBytes").asLong()), Long.toString(s.path("allocations").asLong()),
                    Long.toString(s.path("frees").asLong())));
        }
        HtmlReport.table(x, sources, true);
        x.close();
        x.close();
    }

    private static void leaks(Xhtml x, String title, JsonNode groups, String reachable) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("site", "kind", "owner", "bytes", "blocks"));
        for (JsonNode g : groups) {
            if (reachable == null || g.path("reachable").asText("null").equals(reachable)) {
                rows.add(List.of(g.path("site").asText(), g.path("kind").asText(), g.path("owner").asText(),
                        bytes(g.path("bytes").asLong()), Long.toString(g.path("blocks").asLong())));
            }
        }
        if (rows.size() > 1) {
            x.element("h3", title);
            HtmlReport.table(x, rows, true);
        }
    }

    /** One bar per kind with live bytes, as an inline SVG. */
    private static void bars(Xhtml x, JsonNode sources) {
        Map<String, Long> byKind = new LinkedHashMap<>();
        for (String k : List.of("direct-buffer", "arena", "unsafe", "jdk-internal", "mapped")) {
            byKind.put(k, 0L);
        }
        for (JsonNode s : sources) {
            byKind.merge(s.path("kind").asText(), s.path("liveBytes").asLong(), Long::sum);
        }
        long max = Math.max(1, byKind.values().stream().mapToLong(Long::longValue).max().orElse(1));
        int row = 22;
        x.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "bars chart", "width", "640",
                "height", Integer.toString(row * byKind.size() + 8), "role", "img");
        int i = 0;
        for (Map.Entry<String, Long> e : byKind.entrySet()) {
            int y = 4 + i++ * row;
            long w = Math.round(360.0 * e.getValue() / max);
            x.element("text", e.getKey(), "x", "4", "y", Integer.toString(y + 14));
            x.empty("rect", "x", "110", "y", Integer.toString(y + 2), "width", Long.toString(Math.max(1, w)), "height", "14");
            x.element("text", bytes(e.getValue()), "x", Long.toString(116 + w), "y", Integer.toString(y + 14));
        }
        x.close();
    }

    private static String bytes(long n) {
        if (n < 0) {
            return "unknown";
        }
        if (n < 1024) {
            return n + " B";
        }
        double v = n;
        String[] units = {"KiB", "MiB", "GiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
