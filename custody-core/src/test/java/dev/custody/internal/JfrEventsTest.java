package dev.custody.internal;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * custody-core's JFR events as the JDK's tools read them: addresses in hex ({@code @MemoryAddress}),
 * stack traces on allocations, the user's frame on a misuse, and the periodic books of every heap
 * at the period the recording sets.
 */
class JfrEventsTest {
    private static final Tag TAG = Tag.of("jfr-events-test");

    private static List<RecordedEvent> events(Path file, String name) throws Exception {
        return RecordingFile.readAllEvents(file).stream().filter(e -> e.getEventType().getName().equals(name))
                .toList();
    }

    private static String contentType(RecordedEvent e, String field) {
        return e.getEventType().getField(field).getContentType();
    }

    @Test
    void addressesAreMemoryAddressesAllocationsHaveStacksAndAMisuseNamesTheUsersFrame(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("events.jfr");
        long address;
        try (Recording rec = new Recording()) {
            List.of("dev.custody.Allocation", "dev.custody.Free", "dev.custody.Misuse", "dev.custody.Leak")
                    .forEach(rec::enable);
            rec.start();
            Heap heap = Heaps.libc().child("jfr-events", 1 << 20);
            heap.setTracking(Tracking.FULL, 1);
            Block b = heap.allocate(48, TAG);
            address = b.address();
            b.free();
            try {
                b.free(); // called here, not through a lambda: this frame is the user's
                throw new AssertionError("the double free was not refused");
            } catch (DoubleFreeException expected) {
                // the Misuse event names this line
            }
            Block leaked = heap.allocate(16, TAG);
            assertThatThrownBy(heap::close).isInstanceOf(LeakException.class);
            leaked.free();
            heap.close();
            rec.stop();
            rec.dump(file);
        }
        RecordedEvent alloc = events(file, "dev.custody.Allocation").stream()
                .filter(e -> e.getLong("address") == address).findFirst().orElseThrow();
        assertThat(contentType(alloc, "address")).isEqualTo("jdk.jfr.MemoryAddress");
        assertThat(alloc.getStackTrace()).as("a stack trace for Mission Control").isNotNull();
        assertThat(alloc.getStackTrace().getFrames()).extracting(f -> f.getMethod().getType().getName())
                .contains(JfrEventsTest.class.getName());
        assertThat(alloc.getString("site")).startsWith(JfrEventsTest.class.getName() + ".addressesAre");

        RecordedEvent free = events(file, "dev.custody.Free").stream()
                .filter(e -> e.getLong("address") == address).findFirst().orElseThrow();
        assertThat(contentType(free, "address")).isEqualTo("jdk.jfr.MemoryAddress");
        assertThat(contentType(events(file, "dev.custody.Leak").getFirst(), "address"))
                .isEqualTo("jdk.jfr.MemoryAddress");

        RecordedEvent misuse = events(file, "dev.custody.Misuse").getFirst();
        assertThat(misuse.getString("kind")).isEqualTo("DoubleFreeException");
        assertThat(misuse.getString("site")).as("the user's frame, custody's own passed over")
                .startsWith(JfrEventsTest.class.getName() + ".addressesAre")
                .doesNotContain("dev.custody.internal.Errors");
        List<RecordedFrame> frames = misuse.getStackTrace().getFrames();
        assertThat(frames).extracting(f -> f.getMethod().getType().getName()).contains(JfrEventsTest.class.getName());
    }

    @Test
    void theBooksOfEveryHeapComeAtThePeriodTheRecordingSets(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("books.jfr");
        Heap heap = Heaps.libc().child("jfr-books", 1 << 20);
        Block held = heap.allocate(4096, TAG);
        Block gone = heap.allocate(100, TAG);
        gone.free();
        try (Recording rec = new Recording()) {
            rec.enable("dev.custody.Books").withPeriod(Duration.ofMillis(100));
            rec.start();
            Thread.sleep(1_500);
            rec.stop();
            rec.dump(file);
        } finally {
            held.free();
            heap.close();
        }
        List<RecordedEvent> books = events(file, "dev.custody.Books").stream()
                .filter(e -> "jfr-books".equals(e.getString("heap")) && TAG.name().equals(e.getString("tag")))
                .toList();
        assertThat(books).isNotEmpty().allSatisfy(e -> {
            assertThat(e.getLong("liveBytes")).isEqualTo(4096);
            assertThat(e.getLong("liveBlocks")).isEqualTo(1);
            assertThat(e.getLong("peakBytes")).isEqualTo(4196);
            assertThat(e.getLong("allocations")).isEqualTo(2);
            assertThat(e.getLong("frees")).isEqualTo(1);
        });
        // 100 ms apart, not the default 1 s: a 1.5 s recording at the default holds at most 2
        assertThat(books.size()).as("events in 1.5 s at a period of 100 ms").isGreaterThanOrEqualTo(4);
        List<Instant> times = books.stream().map(RecordedEvent::getStartTime).sorted().toList();
        assertThat(Duration.between(times.getFirst(), times.getLast()).toMillis() / (times.size() - 1))
                .as("the mean spacing in ms").isLessThan(600);
        assertThat(Files.size(file)).isPositive();
    }
}
