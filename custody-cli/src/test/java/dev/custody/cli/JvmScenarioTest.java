package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code jvm} scenario through the command: a child JVM under the agent, its books against the JDK's pool. */
class JvmScenarioTest {
    @Test
    void theAgentsDirectBufferBooksEqualTheJdksPoolEveryCycle() {
        Run r = Run.of(List.of(new JvmScenario()), "stress", "--scenario", "jvm", "--cycles", "4", "--seed", "3");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("verdict: STABLE").contains("agent direct B").contains("BufferPool direct B");
        List<String> rows = r.out().lines().filter(l -> l.matches("\\[jvm\\]\\s+\\d+\\s.*")).toList();
        assertThat(rows).hasSize(4);
        for (String line : rows) {
            String[] cells = line.trim().split("\\s+");
            // [jvm], cycle, agent direct, agent arena, agent unsafe, BufferPool direct
            assertThat(cells[2]).as(line).isEqualTo(cells[5]).isEqualTo(Long.toString(JvmWorkload.HELD * 4096L));
            assertThat(cells[3]).as("every arena closed or collected: %s", line).isEqualTo("0");
            assertThat(cells[4]).as("every Unsafe block freed: %s", line).isEqualTo("0");
        }
    }
}
