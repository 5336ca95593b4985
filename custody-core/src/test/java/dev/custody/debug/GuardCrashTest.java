package dev.custody.debug;

import dev.custody.ChildJvm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fault on a guard page kills the JVM; the ring file survives it. A child JVM (the same JDK 25,
 * the test class path) overruns a guarded block or reads a freed one; the parent checks that the
 * child died of SIGSEGV, then reads the ring and finds the last events naming the block.
 */
class GuardCrashTest {

    @ParameterizedTest
    @ValueSource(strings = {"overrun", "read-after-free"})
    void theChildDiesOfTheFaultAndTheRingNamesTheBlock(String mode, @TempDir Path dir) throws Exception {
        Path ring = dir.resolve("guard.ring");
        ChildJvm.Result r = ChildJvm.run(GuardCrashChild.class,
                List.of("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")), ring.toString(), mode);
        String out = r.stdout();
        String err = r.stderr();
        // HotSpot's crash handler reports the signal on standard output, writes hs_err, and, with
        // core dumps off, exits with status 1 (with them on it would abort: 134).
        assertThat(r.exitCode()).as("exit status; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(1);
        assertThat(out).doesNotContain("survived")
                .contains("A fatal error has been detected by the Java Runtime Environment", "SIGSEGV");
        try (Stream<Path> files = Files.list(dir)) {
            Path hsErr = files.filter(f -> f.getFileName().toString().startsWith("hs_err_")).findFirst().orElseThrow();
            assertThat(Files.readString(hsErr)).contains("SIGSEGV");
        }

        long victim = Long.parseUnsignedLong(out.lines().filter(l -> l.startsWith("victim 0x")).findFirst()
                .orElseThrow().substring("victim 0x".length()), 16);
        List<GuardRing.Event> events = GuardRing.read(ring);
        GuardRing.Event last = events.getLast();
        assertThat(last.address()).isEqualTo(victim);
        assertThat(last.kind()).isEqualTo(mode.equals("overrun") ? "allocate" : "free");
        assertThat(last.tag()).isEqualTo("crash-victim");
        assertThat(last.size()).isEqualTo(48);
        assertThat(last.heap()).isEqualTo("guarded(libc)");
        assertThat(last.thread()).isEqualTo("main");
        assertThat(last.guarded()).isTrue();
        assertThat(last.site()).contains("GuardCrashChild.main");
        // the events before it: the bystanders' allocations and frees, in order
        assertThat(events).extracting(GuardRing.Event::tag).contains("bystander");
        assertThat(events).extracting(GuardRing.Event::sequence).isSorted();
    }
}
