package dev.custody.agent;

import static dev.custody.agent.AgentJvm.site;
import static org.assertj.core.api.Assertions.assertThat;

import dev.custody.agent.programs.SampledProgram;
import dev.custody.agent.programs.SeedMistakeProgram;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's JFR events, recorded by a real child JVM and read back with the JDK's own reader. */
class AgentEventsTest {
    @TempDir
    Path dir;

    private List<RecordedEvent> record(Class<?> program, List<String> flags, String options, String... args)
            throws Exception {
        Path jfr = dir.resolve(program.getSimpleName() + ".jfr");
        List<String> all = new ArrayList<>(flags);
        all.add("-XX:StartFlightRecording=filename=" + jfr);
        AgentJvm.Result r = AgentJvm.runWith(dir, program, all, Map.of(), options, args);
        assertThat(r.exit()).as(r.err()).isZero();
        List<RecordedEvent> events = new ArrayList<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (e.getEventType().getName().startsWith("dev.custody.")) {
                events.add(e);
            }
        }
        return events;
    }

    @Test
    void sampledAllocationsAreEventsWithTheirStacksAndTheBooksArePeriodic() throws Exception {
        List<RecordedEvent> events = record(SampledProgram.class, List.of(), "sampleBytes=64k", "1500");
        String at = site(SampledProgram.class, "main", "SAMPLED");
        List<RecordedEvent> sampled = events.stream().filter(e -> e.getEventType().getName().equals("dev.custody.Allocation")
                && at.equals(e.getString("site"))).toList();
        assertThat(sampled.size()).as("10 MiB at one per 64 KiB").isBetween(84, 236);
        for (RecordedEvent e : sampled) {
            assertThat(e.getString("heap")).isEqualTo("jvm");
            assertThat(e.getString("tag")).isEqualTo("direct-buffer");
            assertThat(e.getLong("size")).isEqualTo(4096);
            List<String> frames = e.getStackTrace().getFrames().stream().map(RecordedFrame::getMethod)
                    .map(m -> m.getType().getName() + "." + m.getName()).toList();
            assertThat(frames).contains(SampledProgram.class.getName() + ".main");
        }
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("dev.custody.Books");
            assertThat(e.getString("tag")).isEqualTo("direct-buffer");
            assertThat(e.getLong("allocations")).isPositive();
        });
    }

    @Test
    void aRefusedFreeIsAMisuseEvent() throws Exception {
        List<RecordedEvent> events = record(SeedMistakeProgram.class, List.of("--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED"), "enforce=true");
        List<RecordedEvent> misuse = events.stream().filter(e -> e.getEventType().getName().equals("dev.custody.Misuse")).toList();
        assertThat(misuse).hasSize(2).allSatisfy(e -> {
            assertThat(e.getString("kind")).isEqualTo("wrong-heap");
            assertThat(e.getString("heap")).isEqualTo("jvm");
        });
        assertThat(misuse.get(1).getString("site")).isEqualTo(site(SeedMistakeProgram.class, "main", "INTERIOR-FREE"));
    }
}
