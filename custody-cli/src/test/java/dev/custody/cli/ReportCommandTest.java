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
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Assumptions;
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
            try {
                b.free(); // here, not in a lambda: the Misuse event's site is this frame
                throw new AssertionError("the double free was not refused");
            } catch (DoubleFreeException expected) {
                // refused, and recorded
            }
            assertThatThrownBy(heap::close).isInstanceOf(LeakException.class);
            leaked.free();
            heap.close();
            rec.stop();
            rec.dump(file);
        }

        Run r = Run.of(List.of(), "report", file.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        // 3 allocations and 3 frees of 600 B, all three live at once; 1 misuse, 1 leak
        assertThat(r.out()).contains("custody events in " + file + ": 8")
                .containsPattern("report-test/report-test-frames\\s+3\\s+600\\s+3\\s+600\\s+0\\s+600")
                .contains("Misuses refused: 1")
                .containsPattern("DoubleFreeException on 'report-test' at dev\\.custody\\.cli\\.ReportCommandTest\\.summarises"
                        + "[^ ]*: double free: free of 200 B block tagged 'report-test-frames'")
                .doesNotContain("first free:")
                .contains("Leaks reported: 1 block, 300 B; by allocation site, largest first:")
                .containsPattern("  300 B in 1 block at .*ReportCommandTest.*\\(report-test/report-test-frames\\)")
                .doesNotContain("1 leaks").doesNotContain("1 blocks").doesNotContain("not tracked");
    }

    @Test
    void leaksAreGroupedBySiteLargestFirstWithThePeaksPerHeapAndTag(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("leaks.jfr");
        Tag small = Tag.of("report-test-small");
        Tag big = Tag.of("report-test-big");
        try (Recording rec = new Recording()) {
            for (String event : List.of(JfrSummary.ALLOCATION, JfrSummary.FREE, JfrSummary.LEAK)) {
                rec.enable(event);
            }
            rec.enable(JfrSummary.BOOKS).withPeriod(java.time.Duration.ofMillis(100));
            rec.start();
            Heap heap = Heaps.libc().child("report-sites", 1 << 20);
            heap.setTracking(Tracking.FULL, 1);
            List<Block> smalls = List.of(heap.allocate(10, small), heap.allocate(10, small), heap.allocate(10, small));
            Block large = allocateLarge(heap, big);
            Block gone = heap.allocate(5000, big);
            gone.free();
            Thread.sleep(400); // a few periodic books
            assertThatThrownBy(heap::close).isInstanceOf(LeakException.class);
            smalls.forEach(Block::free);
            large.free();
            heap.close();
            rec.stop();
            rec.dump(file);
        }

        Run r = Run.of(List.of(), "report", file.toString());

        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        int first = lines.indexOf("Leaks reported: 4 blocks, 1030 B; by allocation site, largest first:");
        assertThat(first).as(r.out()).isPositive();
        assertThat(lines.get(first + 1)).matches("  1000 B in 1 block at .*ReportCommandTest\\.allocateLarge.*"
                + "\\(report-sites/report-test-big\\)");
        assertThat(lines.get(first + 2)).matches("  30 B in 3 blocks at .*ReportCommandTest\\.leaksAreGrouped.*"
                + "\\(report-sites/report-test-small\\)");
        // the books' peak: 1000 B live, then 6000 B with the 5000 B block, before its free
        assertThat(r.out()).containsPattern("report-sites/report-test-big\\s+1000\\s+1\\s+6000\\s+2\\s+1")
                .containsPattern("report-sites/report-test-small\\s+30\\s+3\\s+30\\s+3\\s+0")
                .doesNotContain("no tracked site");
    }

    private static Block allocateLarge(Heap heap, Tag tag) {
        return heap.allocate(1000, tag);
    }

    @Test
    void allocationsWithoutTrackedSitesNameTheSwitch(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("untracked.jfr");
        try (Recording rec = new Recording()) {
            rec.enable(JfrSummary.BOOKS).withPeriod(java.time.Duration.ofMillis(100));
            rec.enable(JfrSummary.ALLOCATION);
            rec.start();
            Heap heap = Heaps.libc().child("report-untracked", 1 << 20);
            Block b = heap.allocate(64, Tag.of("report-test-untracked"));
            Thread.sleep(400);
            b.free();
            heap.close();
            rec.stop();
            rec.dump(file);
        }
        Run r = Run.of(List.of(), "report", file.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("report-untracked/report-test-untracked\\s+64\\s+1\\s+64\\s+1\\s+0")
                .contains("The recording has allocations but no tracked site (allocation site not tracked: turn"
                        + " tracking on with -Dcustody.tracking=full, or heap.setTracking(Tracking.FULL)).");
    }

    @Test
    void aRecordingWithoutCustodyEventsSaysHowToGetThem(@TempDir Path dir) throws Exception {
        Path file = emptyRecording(dir.resolve("empty.jfr"));
        Run r = Run.of(List.of(), "report", file.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(": 0").contains("enable the dev.custody.* events")
                .contains("turn tracking on with -Dcustody.tracking=full");
    }

    @Test
    void aFileThatCannotBeReadSaysWhy(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("not.jfr"), "hello");
        Path empty = Files.createFile(dir.resolve("empty.jfr"));
        Path cut = dir.resolve("cut.jfr");
        try (Recording rec = new Recording()) {
            rec.start();
            rec.stop();
            rec.dump(cut);
        }
        byte[] whole = Files.readAllBytes(cut);
        Files.write(cut, java.util.Arrays.copyOf(whole, 100)); // a JFR file, truncated

        assertThat(refused(dir.resolve("missing.jfr"))).endsWith("': there is no such file.");
        assertThat(refused(dir)).endsWith("': it is a directory.");
        assertThat(refused(text)).contains("': it is not a JFR file (a recording starts with FLR\\0); record one with"
                + " -XX:StartFlightRecording=filename=FILE.jfr");
        assertThat(refused(empty)).contains("': it is not a JFR file (it is empty)");
        assertThat(refused(cut)).contains("': it is a JFR file, but reading it failed (");
    }

    /**
     * A recording the kernel will not let the process read. The tests run as root, and root reads a
     * file of mode 000 through CAP_DAC_OVERRIDE; so {@code custody report} runs in a child JVM
     * started through {@code setpriv} without that capability and CAP_DAC_READ_SEARCH (still uid 0,
     * so the class path under /root stays readable to it as owner). The same child first reads the
     * file while it is readable, so the refusal is the permission's, not setpriv's.
     */
    @Test
    void anUnreadableRecordingSaysSo(@TempDir Path dir) throws Exception {
        Path file = emptyRecording(dir.resolve("locked.jfr"));
        List<String> prefix = new ArrayList<>();
        if (System.getProperty("user.name").equals("root")) {
            Path setpriv = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, "setpriv"))
                    .filter(Files::isExecutable).findFirst().orElse(null);
            Assumptions.assumeTrue(setpriv != null, "root reads any file, and setpriv (util-linux) is not installed");
            prefix.addAll(List.of(setpriv.toString(), "--bounding-set", "-dac_override,-dac_read_search",
                    "--inh-caps", "-dac_override,-dac_read_search"));
        }

        Programs.Child readable = reportInChild(prefix, file);
        assertThat(readable.exit()).as(readable.err()).isZero();

        Files.setPosixFilePermissions(file, Set.<PosixFilePermission>of());
        Programs.Child locked = reportInChild(prefix, file);
        assertThat(locked.exit()).as(locked.out()).isEqualTo(2);
        assertThat(locked.err().lines().findFirst().orElseThrow()).isEqualTo("custody report: Cannot read the recording '"
                + file + "': it is not readable (permission denied).");
    }

    /** A real JFR recording with no custody events, at {@code file}. */
    private static Path emptyRecording(Path file) throws Exception {
        try (Recording rec = new Recording()) {
            rec.start();
            rec.stop();
            rec.dump(file);
        }
        return file;
    }

    /** {@code custody report FILE} in a child JVM on this JVM's paths, started through {@code prefix}. */
    private static Programs.Child reportInChild(List<String> prefix, Path file) throws Exception {
        String path = String.join(File.pathSeparator, Stream.of(System.getProperty("jdk.module.path", ""),
                System.getProperty("java.class.path", ""), Programs.testClasses()).filter(p -> !p.isEmpty()).toList());
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Programs.java(), "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-cp", path,
                Main.class.getName(), "report", file.toString()));
        Path out = Files.createTempFile("report", ".out");
        Path err = Files.createTempFile("report", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("custody report finished within 60 s: %s", cmd).isTrue();
            return new Programs.Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
            Files.delete(out);
            Files.delete(err);
        }
    }

    /** The one line of standard error of a refused report, with exit status 2. */
    private static String refused(Path file) {
        Run r = Run.of(List.of(), "report", file.toString());
        assertThat(r.exit()).as(r.out()).isEqualTo(2);
        assertThat(r.err()).startsWith("custody report: Cannot read the recording '" + file + "': ");
        return r.err().lines().findFirst().orElseThrow();
    }
}
