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
    void isWellFormedAndHoldsOneChartPerScenarioWithALinePerFigure() throws Exception {
        String html = HtmlReport.render(OPTIONS, Instant.parse("2026-01-02T03:04:05Z"),
                List.of(run("steady", false), run("leaky", true)));

        Document doc = parse(html);
        NodeList svgs = doc.getElementsByTagName("svg");
        assertThat(svgs.getLength()).isEqualTo(2);
        Element first = (Element) svgs.item(0);
        assertThat(first.getElementsByTagName("polyline").getLength()).as("two exact figures and a witness")
                .isEqualTo(3);
        assertThat(((Element) first.getElementsByTagName("polyline").item(2)).getAttribute("stroke-dasharray"))
                .as("witnesses are dashed").isEqualTo("6 4");
        assertThat(first.getTextContent()).contains("cycle", "change since first cycle",
                "heap/tag live B (exact): 0 at first cycle, 0 at last",
                "mallinfo2 B (witness, tolerance 1048576): 5000010 at first cycle, 5000060 at last");
        assertThat(html).contains("<span class=\"GROWING\" id=\"overall\">GROWING</span>")
                .contains("Verdict: <span class=\"STABLE\">STABLE</span>")
                .contains("heap/tag live B grew from 100 (cycle 1) to 600 (cycle 6)")
                .contains("<td class=\"cell\">99</td>") // the seed
                .contains("2026-01-02T03:04:05Z");
    }

    @Test
    void isSelfContainedAndEscapesEveryText() throws Exception {
        String html = HtmlReport.render(OPTIONS, Instant.now(), List.of(run("steady", false)));

        assertThat(html).doesNotContainIgnoringCase("http://").doesNotContainIgnoringCase("https://")
                .doesNotContainIgnoringCase("<script").doesNotContain("src=").doesNotContain("href=")
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
    void axisLabelsAreShortAndStepsAreRound() {
        assertThat(SvgChart.compact(950)).isEqualTo("950");
        assertThat(SvgChart.compact(12_500)).isEqualTo("12.5k");
        assertThat(SvgChart.compact(-3_000_000)).isEqualTo("-3M");
        assertThat(SvgChart.niceStep(0.2)).isEqualTo(1);
        assertThat(SvgChart.niceStep(3)).isEqualTo(5);
        assertThat(SvgChart.niceStep(1_100)).isEqualTo(2_000);
    }
}
