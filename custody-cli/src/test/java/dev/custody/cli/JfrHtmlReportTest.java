package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.custody.Block;
import dev.custody.DoubleFreeException;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.LeakException;
import dev.custody.Tag;
import dev.custody.Tracking;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

/** {@code custody report FILE.jfr --html OUT.html} on a real recording of real custody events. */
class JfrHtmlReportTest {
    @Test
    void writesHeapsTagsPeaksMisuseAndLeaksBySiteAsOneSelfContainedPage(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custody.jfr");
        Tag tag = Tag.of("html-report-frames");
        try (Recording rec = new Recording()) {
            for (String event : List.of(JfrSummary.ALLOCATION, JfrSummary.FREE, JfrSummary.MISUSE, JfrSummary.LEAK)) {
                rec.enable(event);
            }
            rec.start();
            Heap heap = Heaps.libc().child("html-report", 1 << 20);
            heap.setTracking(Tracking.FULL, 1);
            Block a = heap.allocate(100, tag);
            Block b = heap.allocate(200, tag);
            Block leaked = heap.allocate(300, tag); // peak: 600 B live
            a.free();
            b.free();
            assertThatThrownBy(b::free).isInstanceOf(DoubleFreeException.class);
            assertThatThrownBy(heap::close).isInstanceOf(LeakException.class);
            leaked.free();
            heap.close();
            rec.stop();
            rec.dump(file);
        }
        Path html = dir.resolve("custody.html");

        Run r = Run.of(List.of(), "report", file.toString(), "--html", html.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("HTML report written to " + html.toAbsolutePath());
        String page = Files.readString(html);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.newDocumentBuilder().parse(new InputSource(new StringReader(page))); // well-formed
        assertThat(page).contains("<td class=\"name\">html-report/html-report-frames</td><td class=\"cell\">3</td>"
                        + "<td class=\"cell\">600 B</td><td class=\"cell\">3</td><td class=\"cell\">600 B</td>"
                        + "<td class=\"cell\">0 B</td><td class=\"cell\">600 B</td>")
                .contains("<td class=\"cell\">DoubleFreeException</td><td class=\"cell\">html-report</td>")
                .containsPattern("<td class=\"name\">dev\\.custody\\.cli\\.JfrHtmlReportTest\\."
                        + "writesHeapsTagsPeaksMisuseAndLeaksBySiteAsOneSelfContainedPage\\(JfrHtmlReportTest\\.java:\\d+\\)"
                        + "</td><td class=\"cell\">html-report/html-report-frames</td><td class=\"cell\">300 B</td>"
                        + "<td class=\"cell\">1</td>")
                .doesNotContainIgnoringCase("<script").doesNotContain("src=").doesNotContain("http://")
                .doesNotContain("https://");
    }

    @Test
    void anUnwritableHtmlPathIsRefusedBeforeTheRecordingIsRead(@TempDir Path dir) throws Exception {
        Path notARecording = Files.writeString(dir.resolve("not.jfr"), "hello");
        Run r = Run.of(List.of(), "report", notARecording.toString(), "--html", dir.resolve("no/such/dir/x.html").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("custody report: --html: cannot write").doesNotContain("JFR recording");
    }
}
