package dev.custody.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Leak;
import dev.custody.LeakListener;
import dev.custody.SharedBlock;
import dev.custody.Tracking;
import dev.custody.Site;
import dev.custody.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/** The default leak listener warns once per site, then gives the site's count at 10, 100, 1000. */
class LeakWarningsTest {
    private static final Tag TAG = Tag.of("leak-warnings-test");

    /** A logger that keeps what it is given. */
    private static final class Kept implements System.Logger {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public String getName() {
            return "kept";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
            lines.add(level + " " + msg);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> msg) {
            lines.add(level + " " + msg.get());
        }
    }

    private static Leak leak(String caller) {
        Site site = new Site("allocate", "main", List.of(new StackTraceElement("app.Game", caller, "Game.java", 7)));
        return new Leak("libc", TAG, 64, 0x1000, site);
    }

    @Test
    void oneWarningPerSiteThenTheCountAtEachPowerOfTen() {
        Kept log = new Kept();
        LeakWarnings w = new LeakWarnings(log);
        IntStream.rangeClosed(1, 120).forEach(i -> w.leaked(leak("frame"), true));
        w.leaked(leak("otherFrame"), false);

        assertThat(log.lines).hasSize(4);
        assertThat(log.lines.get(0)).startsWith("WARNING LEAK: reference-counted block was never released: 64 B tagged"
                + " 'leak-warnings-test' on heap 'libc' at 0x1000, allocated at app.Game.frame(Game.java:7) on thread"
                + " 'main'; custody freed it. Later leaks at this site are counted, not logged one by one.");
        assertThat(log.lines.get(1)).isEqualTo("WARNING LEAK: 10 reference-counted blocks never released at heap"
                + " 'libc', tag 'leak-warnings-test', app.Game.frame(Game.java:7) so far (the latest 64 B at 0x1000)");
        assertThat(log.lines.get(2)).contains("LEAK: 100 reference-counted blocks never released at");
        assertThat(log.lines.get(3)).contains("app.Game.otherFrame(Game.java:7)").contains("memory NOT freed");
    }

    /**
     * On a heap, one site leaking twelve blocks: two warnings (the first leak, then the count at
     * 10), while the JFR Leak events and the heap's figures record all twelve (Law 7).
     */
    @Test
    void eventsAndFiguresCountEveryLeakWhileTheWarningsCountTheSite() throws Exception {
        Heap h = Heaps.libc().child("gc-leaks-default", Long.MAX_VALUE);
        assertThat(((AbstractHeap) h).leakListener).as("every heap's default").isSameAs(LeakWarnings.SHARED)
                .isSameAs(LeakListener.warning());
        Kept log = new Kept();
        h.setLeakListener(new LeakWarnings(log));
        h.setTracking(Tracking.FULL, 1);
        Tag t = Tag.of("gc-leak-default");
        Path file = Files.createTempFile("leaks", ".jfr");
        try (Recording rec = new Recording()) {
            rec.enable("dev.custody.Leak");
            rec.start();
            for (int i = 0; i < 12; i++) {
                dropUnreleased(h, t); // one site, twelve leaks
            }
            await().atMost(30, TimeUnit.SECONDS).until(() -> {
                System.gc();
                return h.stats().tag(t).leaksCollected() == 12;
            });
            rec.stop();
            rec.dump(file);
        }
        long events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.custody.Leak") && t.name().equals(e.getString("tag")))
                .count();
        Files.delete(file);
        assertThat(events).as("a JFR Leak event per leak").isEqualTo(12);
        assertThat(log.lines).as("the first leak of the site, then its count at 10").hasSize(2);
        assertThat(log.lines.get(0)).startsWith("WARNING LEAK: reference-counted block was never released: 100 B"
                + " tagged 'gc-leak-default'").contains("allocated at " + LeakWarningsTest.class.getName() + ".dropUnreleased");
        assertThat(log.lines.get(1)).startsWith("WARNING LEAK: 10 reference-counted blocks never released at heap"
                + " 'gc-leaks-default', tag 'gc-leak-default', " + LeakWarningsTest.class.getName() + ".dropUnreleased");
        assertThat(h.stats().tag(t).liveBlocks()).isZero();
        h.close();
    }

    private static void dropUnreleased(Heap h, Tag t) {
        SharedBlock s = h.allocateShared(100, t);
        s.retain();
        s.release();
    }

    @Test
    void anUntrackedLeakNamesTheSwitch() {
        Kept log = new Kept();
        new LeakWarnings(log).leaked(new Leak("libc", TAG, 8, 0x2000, null), true);
        assertThat(log.lines).singleElement().asString()
                .contains("allocation site not tracked: turn tracking on with -Dcustody.tracking=full");
    }
}
