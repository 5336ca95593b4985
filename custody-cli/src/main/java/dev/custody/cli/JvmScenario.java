package dev.custody.cli;

import dev.custody.remote.ChildJvm;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jvm}: an unmodified program under the custody agent. A child JVM ({@link JvmWorkload},
 * started with this JVM's java and class path and {@code -javaagent}) works in cycles with direct
 * buffers, arenas of every kind and {@code sun.misc.Unsafe}, and drops everything each cycle.
 *
 * <p>Exact figures: the agent's live bytes per source kind at the end of each cycle, once every
 * dropped direct buffer is collected. Witness: the JDK's own {@code BufferPoolMXBean("direct")},
 * which must equal the agent's {@code direct-buffer} live bytes at the end of every cycle; a cycle
 * where they differ fails the scenario.
 *
 * <p>With {@code --inject-leak jvm:BYTES}, the child keeps a direct buffer of BYTES each cycle (at
 * most 2 GiB): the agent's {@code direct-buffer} books grow, and the JDK's pool with them.
 * {@code --track} does not reach the child: the agent samples sites by its own options.
 */
final class JvmScenario implements Scenario {
    static final int DEFAULT_CYCLES = 20;
    static final int SOAK_CYCLES = 200;
    private static final Duration CYCLE = Duration.ofSeconds(60);

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public String summary() {
        return "a child JVM under the custody agent works with direct buffers, arenas and Unsafe; the agent's books "
                + "against the JDK's own buffer pool";
    }

    @Override
    public void run(StressOptions options, CycleLog log) throws Exception {
        String jar = AgentJar.locate().map(Object::toString).orElseThrow(() -> new IllegalStateException(AgentJar.missing()));
        int cycles = options.cyclesOr(DEFAULT_CYCLES, SOAK_CYCLES);
        try (ChildJvm child = ChildJvm.start(JvmWorkload.class.getName(), List.of("-javaagent:" + jar + "=print=false"),
                List.of())) {
            child.await("ready", CYCLE);
            log.note("child pid " + child.pid() + " under the agent " + jar);
            for (int c = 1; c <= cycles; c++) {
                long leak = options.leakPerCycle(name());
                child.send("cycle " + (options.seed() + c) + (leak > 0 ? " " + leak : ""));
                Map<String, Long> f = figures(child.await("figures ", CYCLE));
                log.begin(c);
                log.exact("agent direct B", f.get("direct"));
                log.exact("agent arena B", f.get("arena"));
                log.exact("agent unsafe B", f.get("unsafe"));
                log.witness("BufferPool direct B", f.get("pool"), 0);
                log.end();
                if (!f.get("pool").equals(f.get("direct"))) {
                    log.fail("cycle " + c + ": the JDK's direct buffer pool says " + f.get("pool")
                            + " B, the agent's books " + f.get("direct") + " B");
                }
            }
        }
    }

    private static Map<String, Long> figures(String line) {
        Map<String, Long> out = new HashMap<>();
        for (String part : line.substring("figures ".length()).split(" ")) {
            int eq = part.indexOf('=');
            out.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
        }
        return out;
    }
}
