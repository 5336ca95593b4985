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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code custody report} on a real JFR recording of real custody events. */
class ReportCommandTest {
    @Test
    void summarisesAllocationsFreesMisusesAndLeaks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("custody.jfr");
        Tag frames = Tag.of("report-test-frames");
        try (Recording rec = new Recording()) {
            for (String event : List.of(JfrSummary.ALLOCATION, JfrSummary.FREE, JfrSummary.MISUSE, JfrSummary.LEAK)) {
                rec.enable(event);
            }
            rec.start();
            Heap heap = Heaps.libc().child("report-test", 1 << 20);
            heap.setTracking(Tracking.FULL, 1);
            Block a = heap.allocate(100, frames);
            Block b = heap.allocate(200, frames);
            Block leaked = heap.allocate(300, frames);
            a.free();
            b.free();
            assertThatThrownBy(b::free).isInstanceOf(DoubleFreeException.class);
            assertThatThrownBy(heap::close).isInstanceOf(LeakException.class);
            leaked.free();
            heap.close();
            rec.stop();
            rec.dump(file);
        }

        Run r = Run.of(List.of(), "report", file.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("custody events in " + file + ": 8")
                .containsPattern("report-test/report-test-frames\\s+3\\s+600\\s+3\\s+600\\s+0")
                .contains("Misuses refused: 1").contains("DoubleFreeException on 'report-test': double free")
                .contains("Leaks reported: 1")
                .containsPattern("300 B tagged 'report-test-frames' on 'report-test' at 0x[0-9a-f]+, allocated at "
                        + ".*ReportCommandTest")
                .containsPattern("1 leaks, 300 B at .*ReportCommandTest");
    }

    @Test
    void aRecordingWithoutCustodyEventsSaysHowToGetThem(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("empty.jfr");
        try (Recording rec = new Recording()) {
            rec.start();
            rec.stop();
            rec.dump(file);
        }
        Run r = Run.of(List.of(), "report", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(": 0").contains("record with tracking on");
    }

    @Test
    void aFileThatIsNotARecordingIsAClearError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not.jfr"), "hello");
        Run r = Run.of(List.of(), "report", file.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("custody report: '" + file + "' is not a readable JFR recording");
    }
}
