package dev.custody.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The HTML report of a stress run: one self-contained file (inline CSS and SVG, no scripts, no
 * fonts, no network) with the run's parameters, each scenario's verdict, notes, chart and
 * per-cycle figures.
 */
final class HtmlReport {
    static final String CSS = """
            body { font-family: sans-serif; margin: 2em; color: #222; max-width: 960px; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            td, th { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
            th, td.name { text-align: left; }
            .STABLE { color: #1a7f37; font-weight: bold; }
            .GROWING { color: #b35900; font-weight: bold; }
            .FAILED { color: #c62828; font-weight: bold; }
            section { border-top: 2px solid #ddd; margin-top: 2em; }
            svg.chart { background: #fff; border: 1px solid #ddd; }
            div.multiples { display: flex; flex-wrap: wrap; gap: 8px; }
            tr.STABLE td.verdict { background: #dafbe1; }
            tr.GROWING td.verdict { background: #fff1d6; }
            tr.FAILED td.verdict { background: #ffe0e0; }
            td.reason { text-align: left; max-width: 520px; }
            p.meaning { background: #f4f4f4; padding: 0.5em; }
            """;
    /** The one sentence at the top of every report: what the verdicts mean. */
    static final String MEANING = "STABLE means every exact figure (custody's books, a library's own counters) came "
            + "back to its first cycle's value and every witness (mallinfo2, mimalloc, resident sets) stayed within "
            + "its tolerance; GROWING means one did not, and the reasons name it; FAILED means the scenario threw "
            + "or caught something wrong.";

    private HtmlReport() {
    }

    /**
     * Writes the report of {@code runs} to {@code file}, creating its directory.
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, StressOptions options, Instant started, List<ScenarioRun> runs)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Files.writeString(file, render(options, started, runs), StandardCharsets.UTF_8);
    }

    /** The report as a string. */
    static String render(StressOptions options, Instant started, List<ScenarioRun> runs) {
        Outcome overall = runs.stream().map(ScenarioRun::outcome).reduce(Outcome.STABLE, Outcome::worst);
        Xhtml x = new Xhtml();
        x.open("html", "lang", "en").open("head").empty("meta", "charset", "utf-8")
                .element("title", "Custody stress report: " + overall).element("style", CSS).close();
        x.open("body").element("h1", "Custody stress report");
        x.element("p", MEANING, "class", "meaning");
        x.open("p").text("Overall: ").element("span", overall.toString(), "class", overall.name(),
                "id", "overall").close();
        x.element("h2", "Run");
        table(x, List.of(
                List.of("started (UTC)", started.truncatedTo(ChronoUnit.SECONDS).toString()),
                List.of("scenarios", String.join(", ", runs.stream().map(r -> r.scenario().name()).toList())),
                List.of("cycles per scenario", Integer.toString(options.cycles())),
                List.of("seed", Long.toString(options.seed())),
                List.of("tier", options.soak() ? "soak (full counts)" : "fast"),
                List.of("demo mistake", options.demoMistake() ? "yes" : "no"),
                List.of("Java", System.getProperty("java.vm.name") + " " + Runtime.version()),
                List.of("MALLOC_ARENA_MAX", Objects.requireNonNullElse(System.getenv("MALLOC_ARENA_MAX"),
                        "(unset: mallinfo2 sees only the main arena)")),
                List.of("OS", System.getProperty("os.name") + " " + System.getProperty("os.arch")),
                List.of("tracking", options.track().name().toLowerCase(java.util.Locale.ROOT)),
                List.of("injected leak", options.leak() == null ? "none"
                        : options.leak().scenario() + ": " + options.leak().describe()),
                List.of("native RSS", Witnesses.heapPinned() ? "judged (the Java heap is fixed and pre-touched)"
                        : "shown, not judged (the Java heap is not fixed and pre-touched)")), false);
        x.element("h2", "Verdicts");
        verdicts(x, runs);
        runs.forEach(r -> scenario(x, r));
        return x.finish();
    }

    /** The verdict table: coloured by outcome, each scenario a link to its section, with its reason. */
    private static void verdicts(Xhtml x, List<ScenarioRun> runs) {
        x.open("table", "id", "verdicts").open("tr");
        for (String h : List.of("scenario", "verdict", "reason", "cycles", "elapsed (s)")) {
            x.element("th", h);
        }
        x.close();
        for (ScenarioRun r : runs) {
            String name = r.scenario().name();
            x.open("tr", "class", r.outcome().name());
            x.open("td", "class", "name").element("a", name, "href", "#scenario-" + name).close();
            x.element("td", r.outcome().name(), "class", "verdict");
            x.element("td", reason(r), "class", "reason");
            x.element("td", Integer.toString(r.log().rows().size()), "class", "cell");
            x.element("td", String.format(java.util.Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0), "class", "cell");
            x.close();
        }
        x.close();
    }

    /** A scenario's first reason (and how many more), or what STABLE means for it. */
    private static String reason(ScenarioRun r) {
        List<String> reasons = r.log().verdict().reasons();
        if (reasons.isEmpty()) {
            return "every figure came home";
        }
        return reasons.getFirst() + (reasons.size() > 1 ? " (and " + (reasons.size() - 1) + " more)" : "");
    }

    /** Why a scenario's verdict is what it is, as the end of its verdict sentence. */
    static String because(ScenarioRun r) {
        List<String> reasons = r.log().verdict().reasons();
        return reasons.isEmpty()
                ? "every exact figure came back to its first cycle's value and every witness stayed within its tolerance."
                : String.join("; ", reasons) + ".";
    }

    private static void scenario(Xhtml x, ScenarioRun r) {
        CycleLog log = r.log();
        String name = r.scenario().name();
        x.open("section", "id", "scenario-" + name, "class", "scenario", "data-scenario", name,
                "data-series", Integer.toString(log.rows().isEmpty() ? 0 : SvgChart.series(log).size()));
        x.element("h2", name);
        x.element("p", r.scenario().summary());
        x.open("p", "class", "verdict-sentence", "data-scenario", name).text("Verdict: ")
                .element("span", r.outcome().name(), "class", r.outcome().name())
                .text(" \u2014 " + name + " is " + r.outcome().name() + ": " + because(r)).close();
        list(x, log.verdict().reasons());
        if (!log.leaksBySite().isEmpty()) {
            x.element("h3", "Leaks by site");
            List<List<String>> sites = new ArrayList<>();
            sites.add(List.of("figure", "allocation site", "blocks", "bytes"));
            log.leaksBySite().forEach(g -> sites.add(List.of(g.figure(), g.site(), Integer.toString(g.blocks()),
                    SvgChart.binary(g.bytes()))));
            table(x, sites, true);
        }
        if (!log.refusals().isEmpty()) {
            x.element("h3", "Misuse custody refused");
            list(x, log.refusals());
        }
        x.element("h3", "Figures per cycle");
        x.element("p", "One chart per figure, each on its own axis. Exact figures (solid) must come back to their first "
                + "cycle's level (the dotted green line); witnesses (dashed) may rise within their tolerance, the shaded "
                + "band over their early median; grey figures are shown, not judged.");
        SvgChart.write(x, log);
        if (!log.notes().isEmpty()) {
            x.element("h3", "Notes");
            list(x, log.notes());
        }
        if (!log.rows().isEmpty()) {
            x.open("details").element("summary", "The figures of every cycle");
            table(x, figures(log.rows()), true);
            x.close();
        }
        x.close();
    }

    private static List<List<String>> figures(List<CycleLog.Row> rows) {
        List<String> names = new ArrayList<>();
        rows.forEach(r -> {
            r.exact().keySet().stream().filter(k -> !names.contains(k)).forEach(names::add);
            r.witness().keySet().stream().filter(k -> !names.contains(k)).forEach(names::add);
        });
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("cycle"));
        header.addAll(names);
        table.add(header);
        for (CycleLog.Row r : rows) {
            List<String> line = new ArrayList<>(List.of(Integer.toString(r.cycle())));
            for (String n : names) {
                Map<String, Long> from = r.exact().containsKey(n) ? r.exact() : r.witness();
                line.add(from.containsKey(n) ? Long.toString(from.get(n)) : "");
            }
            table.add(line);
        }
        return table;
    }

    static void list(Xhtml x, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        x.open("ul");
        items.forEach(i -> x.element("li", i));
        x.close();
    }

    /** A table; with a header, the first row is the header; else the first column names each row. */
    static void table(Xhtml x, List<List<String>> rows, boolean header) {
        x.open("table");
        for (int i = 0; i < rows.size(); i++) {
            x.open("tr");
            List<String> row = rows.get(i);
            for (int j = 0; j < row.size(); j++) {
                boolean head = header ? i == 0 : j == 0;
                x.element(head ? "th" : "td", row.get(j), "class", j == 0 ? "name" : "cell");
            }
            x.close();
        }
        x.close();
    }
}
