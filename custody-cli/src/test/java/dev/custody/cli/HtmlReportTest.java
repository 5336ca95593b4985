package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class HtmlReportTest {
    private static final StressOptions OPTIONS = new StressOptions(6, 99, true, null, false);

    /** A scenario that only names itself: the report is built from logs filled in by the test. */
    private record Named(String name) implements Scenario {
        @Override
        public String summary() {
            return "summary of " + name + " with <markup> & \"quotes\"";
        }

        @Override
        public void run(StressOptions options, CycleLog log) {
            throw new UnsupportedOperationException("the report test fills the log itself");
        }
    }

    private static ScenarioRun run(String name, boolean growing) {
        CycleLog log = new CycleLog(name, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        for (int c = 1; c <= 6; c++) {
            log.begin(c);
            log.exact("heap/tag live B", growing ? c * 100L : 0);
            log.exact("live blocks", 0);
            log.witness("mallinfo2 B", 5_000_000 + c * 10L, 1 << 20);
            log.end();
        }
        log.note("caught: WrongHeapException <script>alert(1)</script> & more");
        return new ScenarioRun(new Named(name), log, Outcome.of(log), Duration.ofMillis(1234));
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(html)));
    }

    @Test
    void isWellFormedAndDrawsEveryFigureAsItsOwnSmallChart() throws Exception {
        String html = HtmlReport.render(OPTIONS, Instant.parse("2026-01-02T03:04:05Z"),
                List.of(run("steady", false), run("leaky", true)));

        Document doc = parse(html);
        NodeList svgs = doc.getElementsByTagName("svg");
        assertThat(svgs.getLength()).as("three figures in each of two scenarios").isEqualTo(6);
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            assertThat(svg.getElementsByTagName("polyline").getLength()).as("one series per chart").isEqualTo(1);
            NodeList labels = svg.getElementsByTagName("text");
            List<String> texts = new java.util.ArrayList<>();
            for (int j = 0; j < labels.getLength(); j++) {
                texts.add(labels.item(j).getTextContent());
            }
            assertThat(texts).as("the x axis labels the first and the last cycle").contains("1", "6", "cycle");
        }
        Element witness = (Element) svgs.item(2);
        assertThat(witness.getTextContent()).contains("mallinfo2 B", "witness, tolerance 1 MiB: 4.8 MiB \u2192 4.8 MiB");
        assertThat(witness.getElementsByTagName("rect").getLength()).as("the tolerance band").isEqualTo(1);
        assertThat(((Element) witness.getElementsByTagName("polyline").item(0)).getAttribute("stroke-dasharray"))
                .as("witnesses are dashed").isEqualTo("6 3");
        assertThat(svgs.item(0).getTextContent()).contains("heap/tag live B", "exact: 0 B \u2192 0 B");
        assertThat(svgs.item(3).getTextContent()).contains("exact: 100 B \u2192 600 B");
        assertThat(html).contains(HtmlReport.MEANING)
                .contains("<span class=\"GROWING\" id=\"overall\">GROWING</span>")
                .contains("<tr class=\"GROWING\"><td class=\"name\"><a href=\"#scenario-leaky\">leaky</a></td>"
                        + "<td class=\"verdict\">GROWING</td><td class=\"reason\">heap/tag live B grew from 100 (cycle 1) "
                        + "to 600 (cycle 6)</td>")
                .contains("<section id=\"scenario-steady\" class=\"scenario\" data-scenario=\"steady\" data-series=\"3\">")
                .contains("<p class=\"verdict-sentence\" data-scenario=\"leaky\">Verdict: <span class=\"GROWING\">GROWING</span>"
                        + " \u2014 leaky is GROWING: heap/tag live B grew from 100 (cycle 1) to 600 (cycle 6).</p>")
                .contains("<td class=\"cell\">99</td>") // the seed
                .contains("2026-01-02T03:04:05Z");
    }

    @Test
    void listsLeaksBySiteAndTheMisuseCustodyRefused() {
        CycleLog log = new CycleLog("sites", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        dev.custody.Heap libc = dev.custody.Heaps.libc();
        dev.custody.Tag tag = dev.custody.Tag.of("html-report-test");
        List<dev.custody.Block> kept = new java.util.ArrayList<>();
        libc.setTracking(dev.custody.Tracking.FULL, 1);
        try {
            for (int c = 1; c <= 3; c++) {
                kept.add(libc.allocate(1024, tag)); // LEAK
                log.begin(c);
                log.books(libc, tag);
                log.end();
            }
        } finally {
            libc.setTracking(dev.custody.Tracking.OFF, 1);
        }
        log.refused("caught: DoubleFreeException on heap 'libc'");
        String html;
        try {
            html = HtmlReport.render(OPTIONS, Instant.now(), List.of(new ScenarioRun(new Named("sites"), log,
                    Outcome.of(log), Duration.ZERO)));
        } finally {
            kept.forEach(dev.custody.Block::free);
        }
        assertThat(html).contains("<h3>Leaks by site</h3>").containsPattern(
                "<td class=\"cell\">dev\\.custody\\.cli\\.HtmlReportTest\\.listsLeaksBySiteAndTheMisuseCustodyRefused"
                        + "\\(HtmlReportTest\\.java:\\d+\\)</td><td class=\"cell\">2</td><td class=\"cell\">2 KiB</td>")
                .contains("<h3>Misuse custody refused</h3>").contains("<li>caught: DoubleFreeException on heap 'libc'</li>");
    }

    @Test
    void isSelfContainedAndEscapesEveryText() throws Exception {
        String html = HtmlReport.render(OPTIONS, Instant.now(), List.of(run("steady", false)));

        assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
                .doesNotContainIgnoringCase("<script").doesNotContain("src=").doesNotContainPattern("href=\"[^#]")
                .doesNotContain("url(").doesNotContain("@import").doesNotContain("@font-face");
        assertThat(html).contains("caught: WrongHeapException &lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
                .contains("summary of steady with &lt;markup&gt; &amp; \"quotes\"");
        assertThat(parse(html).getDocumentElement().getTextContent())
                .contains("caught: WrongHeapException <script>alert(1)</script> & more");
    }

    @Test
    void aScenarioWithoutCyclesSaysSoInsteadOfAChart() throws Exception {
        CycleLog empty = new CycleLog("none", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        empty.fail("threw at start");
        String html = HtmlReport.render(OPTIONS, Instant.now(),
                List.of(new ScenarioRun(new Named("none"), empty, Outcome.of(empty), Duration.ZERO)));

        assertThat(parse(html).getElementsByTagName("svg").getLength()).isZero();
        assertThat(html).contains("No cycle completed: nothing to chart.").contains("threw at start")
                .contains("id=\"overall\">FAILED<");
    }

    @Test
    void writeCreatesTheDirectoryAndTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("a/b/report.html");
        HtmlReport.write(file, OPTIONS, Instant.now(), List.of(run("steady", false)));
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("<svg");
    }

    @Test
    void axisLabelsCarryUnitsBinaryForBytes() {
        assertThat(SvgChart.compact(950)).isEqualTo("950");
        assertThat(SvgChart.compact(12_500)).isEqualTo("12.5k");
        assertThat(SvgChart.compact(-3_000_000)).isEqualTo("-3M");
        assertThat(SvgChart.binary(512)).isEqualTo("512 B");
        assertThat(SvgChart.binary(1536)).isEqualTo("1.5 KiB");
        assertThat(SvgChart.binary(32L << 20)).isEqualTo("32 MiB");
        assertThat(SvgChart.binary(-(3L << 30))).isEqualTo("-3 GiB");
        assertThat(SvgChart.unit(2048, false)).isEqualTo("2k");
    }
}
