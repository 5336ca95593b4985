package dev.custody.agent;

import static dev.custody.agent.AgentJvm.only;
import static dev.custody.agent.AgentJvm.site;
import static dev.custody.agent.AgentJvm.where;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custody.agent.programs.AutoArenaProgram;
import dev.custody.agent.programs.ConcurrentProgram;
import dev.custody.agent.programs.DirectLeakProgram;
import dev.custody.agent.programs.HelloProgram;
import dev.custody.agent.programs.IsolatedLoaderProgram;
import dev.custody.agent.programs.IsolatedWorkload;
import dev.custody.agent.programs.DoubleFreeProgram;
import dev.custody.agent.programs.UnknownFreeProgram;
import dev.custody.agent.programs.SampledProgram;
import dev.custody.agent.programs.SharedArenaProgram;
import dev.custody.agent.programs.UnsafeProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real programs in child JVMs under the agent, their books checked against what each program did. */
class AgentTest {
    @TempDir
    Path dir;

    private AgentJvm.Result run(Class<?> program, List<String> jvmArgs, Map<String, String> env, String... args)
            throws Exception {
        AgentJvm.Result r = AgentJvm.run(dir, program, jvmArgs, env, args);
        assertThat(r.exit()).as("exit of %s; stderr:%n%s", program.getSimpleName(), r.err()).isZero();
        assertThat(r.report()).as("the report at exit; stderr:%n%s", r.err()).isNotNull();
        assertThat(r.report().path("internalErrors").asLong()).isZero();
        return r;
    }

    @Test
    void helloWorldReportsNoMisuseAndNoLeak() throws Exception {
        JsonNode report = run(HelloProgram.class, List.of(), Map.of()).report();
        assertThat(report.path("misuse")).isEmpty();
        assertThat(report.path("leaks")).as("leaks of hello world: %s", report.path("leaks")).isEmpty();
        assertThat(report.path("mode").asText()).isEqualTo("premain");
    }

    @Test
    void leakedDirectBuffersShowAtTheirLinesWithExactBooks() throws Exception {
        JsonNode report = run(DirectLeakProgram.class, List.of(), Map.of()).report();
        String at4k = site(DirectLeakProgram.class, "main", "LEAK-4K");
        String at8k = site(DirectLeakProgram.class, "main", "LEAK-8K");
        JsonNode row4k = only(report.path("sources"), "site", at4k);
        assertThat(row4k.path("kind").asText()).isEqualTo("direct-buffer");
        assertThat(row4k.path("owner").asText()).isEqualTo("java.nio.DirectByteBuffer");
        assertThat(row4k.path("liveBlocks").asLong()).isEqualTo(3);
        assertThat(row4k.path("liveBytes").asLong()).isEqualTo(3 * 4096);
        assertThat(row4k.path("allocations").asLong()).isEqualTo(3);
        JsonNode row8k = only(report.path("sources"), "site", at8k);
        assertThat(row8k.path("liveBytes").asLong()).isEqualTo(4 * 8192);
        assertThat(row8k.path("peakBytes").asLong()).isEqualTo(4 * 8192);
        JsonNode leak8k = only(report.path("leaks"), "site", at8k);
        assertThat(leak8k.path("bytes").asLong()).isEqualTo(4 * 8192);
        assertThat(leak8k.path("blocks").asLong()).isEqualTo(4);
        assertThat(leak8k.path("reachable").asBoolean()).isTrue();

        String dropped = site(DirectLeakProgram.class, "main", "DROPPED");
        JsonNode row = only(report.path("sources"), "site", dropped);
        assertThat(row.path("allocations").asLong()).isEqualTo(50);
        long live = row.path("liveBlocks").asLong();
        assertThat(row.path("frees").asLong()).isEqualTo(50 - live);
        // What the GC has not freed yet is unreachable, never counted as a reachable leak.
        for (JsonNode leak : where(report.path("leaks"), "site", dropped)) {
            assertThat(leak.path("reachable").asBoolean()).isFalse();
        }
        assertThat(report.path("misuse")).isEmpty();
    }

    @Test
    void aSharedArenaNeverClosedIsListedWithItsCreationSite() throws Exception {
        JsonNode report = run(SharedArenaProgram.class, List.of(), Map.of()).report();
        String created = site(SharedArenaProgram.class, "main", "ARENA-CREATE");
        JsonNode arena = only(report.path("arenas"), "site", created);
        assertThat(arena.path("kind").asText()).isEqualTo("shared");
        assertThat(arena.path("closed").asBoolean()).isFalse();
        assertThat(arena.path("count").asLong()).isEqualTo(1);
        assertThat(arena.path("liveBytes").asLong()).isEqualTo(3 * 1000 + 24);

        String owner = "shared arena created at " + created;
        JsonNode allocs = only(report.path("sources"), "site", site(SharedArenaProgram.class, "main", "ARENA-ALLOC"));
        assertThat(allocs.path("owner").asText()).isEqualTo(owner);
        assertThat(allocs.path("liveBlocks").asLong()).isEqualTo(3);
        JsonNode leak = only(report.path("leaks"), "site", site(SharedArenaProgram.class, "main", "ARENA-ALLOC-24"));
        assertThat(leak.path("bytes").asLong()).isEqualTo(24);
        assertThat(leak.path("owner").asText()).isEqualTo(owner);

        JsonNode closed = only(report.path("arenas"), "site", site(SharedArenaProgram.class, "main", "CONFINED-CREATE"));
        assertThat(closed.path("closed").asBoolean()).isTrue();
        assertThat(closed.path("kind").asText()).isEqualTo("confined");
        assertThat(closed.path("count").asLong()).as("closed arenas are one row with a count").isEqualTo(10);
        JsonNode confinedRow = only(report.path("sources"), "site", site(SharedArenaProgram.class, "main", "CONFINED-ALLOC"));
        assertThat(confinedRow.path("allocations").asLong()).isEqualTo(10);
        assertThat(confinedRow.path("frees").asLong()).isEqualTo(10);
        assertThat(confinedRow.path("liveBytes").asLong()).isZero();
    }

    @Test
    void sunMiscUnsafeCallersAreOwnersWithExactBooks() throws Exception {
        JsonNode report = run(UnsafeProgram.class, List.of("--sun-misc-unsafe-memory-access=allow"), Map.of()).report();
        JsonNode row = only(report.path("sources"), "site", site(UnsafeProgram.class, "main", "UNSAFE-256"));
        assertThat(row.path("kind").asText()).isEqualTo("unsafe");
        assertThat(row.path("owner").asText()).startsWith(UnsafeProgram.class.getName() + " (classes ");
        assertThat(row.path("allocations").asLong()).isEqualTo(5);
        assertThat(row.path("frees").asLong()).isEqualTo(3);
        assertThat(row.path("liveBytes").asLong()).isEqualTo(2 * 256);
        // The reallocated block keeps its allocation site; the reallocation is a free and an allocation.
        JsonNode grown = only(report.path("sources"), "site", site(UnsafeProgram.class, "main", "UNSAFE-104"));
        assertThat(grown.path("liveBytes").asLong()).isEqualTo(1000);
        assertThat(grown.path("liveBlocks").asLong()).isEqualTo(1);
        assertThat(grown.path("allocations").asLong()).isEqualTo(2);
        assertThat(grown.path("peakBytes").asLong()).isEqualTo(1000);
        assertThat(report.path("misuse")).isEmpty();
    }

    @Test
    void aClassInABootstrapParentedLoaderIsBookedLikeAnyOther() throws Exception {
        AgentJvm.Result r = run(IsolatedLoaderProgram.class, List.of("--sun-misc-unsafe-memory-access=allow"), Map.of());
        assertThat(r.out()).as("the workload ran in its own loader").contains("loader isolated app false");
        JsonNode report = r.report();
        JsonNode direct = only(report.path("sources"), "site", site(IsolatedWorkload.class, "main", "ISOLATED-DIRECT"));
        assertThat(direct.path("kind").asText()).isEqualTo("direct-buffer");
        assertThat(direct.path("liveBlocks").asLong()).isEqualTo(2);
        assertThat(direct.path("liveBytes").asLong()).isEqualTo(2 * 2048);
        JsonNode unsafe = only(report.path("sources"), "site", site(IsolatedWorkload.class, "main", "ISOLATED-UNSAFE"));
        assertThat(unsafe.path("kind").asText()).isEqualTo("unsafe");
        assertThat(unsafe.path("allocations").asLong()).isEqualTo(4);
        assertThat(unsafe.path("frees").asLong()).isEqualTo(1);
        assertThat(unsafe.path("liveBytes").asLong()).isEqualTo(3 * 512);
        assertThat(unsafe.path("owner").asText()).startsWith(IsolatedWorkload.class.getName());
        assertThat(report.path("misuse")).isEmpty();
    }

    @Test
    void anAutoArenaSegmentMovesFromLiveToFreedWhenCollected() throws Exception {
        AgentJvm.Result r = run(AutoArenaProgram.class, List.of(), Map.of());
        String at = site(AutoArenaProgram.class, "main", "AUTO-ALLOC");
        JsonNode held = onDemand(r.out(), "held");
        JsonNode live = only(held.path("sources"), "site", at);
        assertThat(live.path("liveBytes").asLong()).isEqualTo(4096);
        assertThat(only(held.path("leaks"), "site", at).path("reachable").asBoolean()).isTrue();
        JsonNode open = only(held.path("arenas"), "site", at);
        assertThat(open.path("kind").asText()).isEqualTo("auto");
        assertThat(open.path("closed").asBoolean()).isFalse();

        JsonNode collected = onDemand(r.out(), "collected");
        JsonNode freed = only(collected.path("sources"), "site", at);
        assertThat(freed.path("liveBytes").asLong()).isZero();
        assertThat(freed.path("frees").asLong()).isEqualTo(1);
        assertThat(where(collected.path("leaks"), "site", at)).isEmpty();
        JsonNode closed = only(collected.path("arenas"), "site", at);
        assertThat(closed.path("closed").asBoolean()).isTrue();
    }

    /**
     * The agent reports and never enforces, so the free still reaches glibc, which aborts the
     * process when it catches the double free, or frees whatever the JVM's own malloc put at that
     * address in between; either way the agent has said what happened first, with both sites.
     */
    @Test
    void aDoubleFreeIsReportedWithBothSitesBeforeTheAllocatorActs() throws Exception {
        AgentJvm.Result r = AgentJvm.run(dir, DoubleFreeProgram.class, List.of("--sun-misc-unsafe-memory-access=allow"),
                Map.of());
        String said = "custody-agent: misuse: double-free of 0x";
        String sites = " at " + site(DoubleFreeProgram.class, "main", "DOUBLE-FREE")
                + " (allocated at " + site(DoubleFreeProgram.class, "main", "MISUSE-ALLOC") + ")";
        assertThat(r.err()).contains(said).contains(sites);
        assertThat(r.exit()).as("stderr:%n%s", r.err()).isIn(0, 134);
        if (r.exit() == 0) {
            JsonNode misuse = only(r.report().path("misuse"), "kind", "double-free");
            assertThat(misuse.path("site").asText()).isEqualTo(site(DoubleFreeProgram.class, "main", "DOUBLE-FREE"));
        } else {
            assertThat(r.err()).contains("free(): double free detected");
        }
    }

    @Test
    void aFreeOfAnAddressNeverAllocatedIsAnUnknownFree() throws Exception {
        AgentJvm.Result r = AgentJvm.run(dir, UnknownFreeProgram.class, List.of("--sun-misc-unsafe-memory-access=allow"),
                Map.of());
        String address = r.out().lines().filter(l -> l.startsWith("interior ")).findFirst().orElseThrow()
                .substring("interior ".length());
        assertThat(r.err()).contains("custody-agent: misuse: unknown-free of " + address + " at "
                + site(UnknownFreeProgram.class, "main", "INTERIOR-FREE"));
        assertThat(r.exit()).as("glibc refuses the interior pointer; stderr:%n%s", r.err()).isEqualTo(134);
    }

    @Test
    void fourPlatformAndFourVirtualThreadsLoseNoCount() throws Exception {
        int iterations = Tier.soak() ? 20_000 : 2_000;
        JsonNode report = run(ConcurrentProgram.class, List.of("--sun-misc-unsafe-memory-access=allow"), Map.of(),
                String.valueOf(iterations)).report();
        long n = 8L * iterations;
        JsonNode confined = only(report.path("sources"), "site",
                site(ConcurrentProgram.class, "lambda$main$0", "CONFINED-ALLOC"));
        assertThat(confined.path("allocations").asLong()).isEqualTo(n);
        assertThat(confined.path("frees").asLong()).isEqualTo(n);
        JsonNode unsafe = only(report.path("sources"), "site",
                site(ConcurrentProgram.class, "lambda$main$0", "UNSAFE-ALLOC"));
        assertThat(unsafe.path("allocations").asLong()).isEqualTo(n);
        assertThat(unsafe.path("frees").asLong()).isEqualTo(n);
        assertThat(unsafe.path("liveBytes").asLong()).isZero();
        JsonNode direct = only(report.path("sources"), "site",
                site(ConcurrentProgram.class, "lambda$main$0", "DIRECT-ALLOC"));
        assertThat(direct.path("allocations").asLong()).isEqualTo(n);
        assertThat(direct.path("frees").asLong() + direct.path("liveBlocks").asLong()).isEqualTo(n);
        JsonNode shared = only(report.path("sources"), "site",
                site(ConcurrentProgram.class, "lambda$main$0", "SHARED-ALLOC"));
        long sharedBlocks = 8L * ((iterations + 9) / 10);
        assertThat(shared.path("liveBlocks").asLong()).isEqualTo(sharedBlocks);
        assertThat(shared.path("liveBytes").asLong()).isEqualTo(sharedBlocks * 32);
        JsonNode arena = only(report.path("arenas"), "site", site(ConcurrentProgram.class, "main", "SHARED-CREATE"));
        assertThat(arena.path("liveBytes").asLong()).isEqualTo(sharedBlocks * 32);
        assertThat(report.path("misuse")).isEmpty();
    }

    @Test
    void sampledStacksFallByBytesAtTheRateSet() throws Exception {
        String at = site(SampledProgram.class, "main", "SAMPLED");
        JsonNode report = AgentJvm.runWith(dir, SampledProgram.class, List.of(), Map.of(), "sampleBytes=64k").report();
        List<JsonNode> samples = where(report.path("samples"), "site", at);
        // 10 MiB at one sample per 64 KiB: a Poisson count of mean 160; 6 standard deviations either side.
        assertThat(samples.size()).isBetween(84, 236);
        for (JsonNode s : samples) {
            assertThat(s.path("bytes").asLong()).isEqualTo(4096);
            assertThat(s.path("kind").asText()).isEqualTo("direct-buffer");
            assertThat(AgentJvm.JSON.convertValue(s.path("stack"), String[].class)).contains(at)
                    .contains("java.nio.ByteBuffer.allocateDirect(ByteBuffer.java:" + byteBufferLine(s) + ")");
        }
        JsonNode none = AgentJvm.runWith(dir, SampledProgram.class, List.of(), Map.of(), "sampleBytes=0").report();
        assertThat(none.path("samplesTotal").asLong()).isZero();
        assertThat(only(none.path("sources"), "site", at).path("allocations").asLong()).isEqualTo(2560);
    }

    private static String byteBufferLine(JsonNode sample) {
        for (JsonNode f : sample.path("stack")) {
            String frame = f.asText();
            if (frame.startsWith("java.nio.ByteBuffer.allocateDirect(ByteBuffer.java:")) {
                return frame.substring(frame.indexOf(':') + 1, frame.length() - 1);
            }
        }
        throw new AssertionError("no ByteBuffer.allocateDirect frame in " + sample.path("stack"));
    }

    @Test
    void theAgentsOwnAllocationsAreNotInTheBooks() throws Exception {
        JsonNode report = run(HelloProgram.class, List.of(), Map.of()).report();
        for (JsonNode row : report.path("sources")) {
            assertThat(row.path("site").asText()).doesNotContain("dev.custody.agent.");
            assertThat(row.path("owner").asText()).doesNotContain("dev.custody.agent.");
        }
    }

    @Test
    void aBadOptionPrintsOneLineAndInstallsNothing() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(AgentJvm.command(HelloProgram.class, "colour=blue", List.of()));
        Path err = dir.resolve("err.txt");
        pb.redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor()).isZero();
        List<String> lines = Files.readAllLines(err).stream().filter(l -> l.startsWith("custody-agent")).toList();
        assertThat(lines).containsExactly(
                "custody-agent: unknown option 'colour' (known: json, sampleBytes, print, claim, skip, enforce); the agent is not installed");
        assertThat(Files.readString(dir.resolve("out.txt"))).contains("hello, world");
    }

    static JsonNode onDemand(String out, String label) throws Exception {
        String[] lines = out.split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].equals("--- report " + label)) {
                return AgentJvm.JSON.readTree(lines[i + 1]);
            }
        }
        throw new AssertionError("no report '" + label + "' in:\n" + out);
    }
}
