package dev.custody.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.custody.Leak;
import dev.custody.Site;
import dev.custody.Tag;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.IntStream;
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

    @Test
    void anUntrackedLeakNamesTheSwitch() {
        Kept log = new Kept();
        new LeakWarnings(log).leaked(new Leak("libc", TAG, 8, 0x2000, null), true);
        assertThat(log.lines).singleElement().asString()
                .contains("allocation site not tracked: turn tracking on with -Dcustody.tracking=full");
    }
}
