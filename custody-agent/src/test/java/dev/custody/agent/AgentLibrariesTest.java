package dev.custody.agent;

import static dev.custody.agent.AgentJvm.only;
import static dev.custody.agent.AgentJvm.site;
import static dev.custody.agent.AgentJvm.where;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.custody.agent.programs.ArrowProgram;
import dev.custody.agent.programs.CustodyMistakeProgram;
import dev.custody.agent.programs.DirectLeakProgram;
import dev.custody.agent.programs.FileChannelProgram;
import dev.custody.agent.programs.HelloProgram;
import dev.custody.agent.programs.NettyProgram;
import dev.custody.agent.programs.SeedMistakeProgram;
import dev.custody.agent.programs.SourcesProgram;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real libraries under the agent (Netty, Arrow, the JDK's FileChannel), its MXBeans, and NMT beside its books. */
class AgentLibrariesTest {
    private static final List<String> NETTY_FLAGS = List.of(AgentJvm.LIBRARIES, "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true", "--sun-misc-unsafe-memory-access=allow",
            "-Dio.netty.leakDetection.level=disabled");

    @TempDir
    Path dir;

    private JsonNode run(Class<?> program, List<String> flags, String options) throws Exception {
        AgentJvm.Result r = AgentJvm.runWith(dir, program, flags, Map.of(), options);
        assertThat(r.exit()).as("stderr:%n%s", r.err()).isZero();
        assertThat(r.report().path("internalErrors").asLong()).isZero();
        assertThat(r.report().path("misuse")).isEmpty();
        return r.report();
    }

    @Test
    void nettysPoolIsOwnedUnderIoNettyAndALeakedUnpooledBufferShowsAtItsCallSite() throws Exception {
        AgentJvm.Result r = AgentJvm.runWith(dir, NettyProgram.class, NETTY_FLAGS, Map.of(), "skip=io.netty");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).as("Netty on its Unsafe, no-cleaner path").contains("noCleaner true");
        JsonNode report = r.report();
        JsonNode unpooled = only(report.path("sources"), "site", site(NettyProgram.class, "main", "NETTY-UNPOOLED"));
        assertThat(unpooled.path("kind").asText()).isEqualTo("unsafe");
        assertThat(unpooled.path("owner").asText()).startsWith("io.netty.").contains("(jar netty-common-");
        assertThat(unpooled.path("liveBlocks").asLong()).isEqualTo(4);
        assertThat(unpooled.path("liveBytes").asLong()).isEqualTo(4 * 8192);
        JsonNode pool = only(report.path("sources"), "site", site(NettyProgram.class, "main", "NETTY-POOLED"));
        assertThat(pool.path("owner").asText()).startsWith("io.netty.");
        assertThat(pool.path("liveBlocks").asLong()).as("the pool keeps its chunk").isGreaterThanOrEqualTo(1);
        assertThat(pool.path("liveBytes").asLong()).isGreaterThanOrEqualTo(1024 * 1024);
    }

    @Test
    void withoutSkipTheSiteIsNettysOwnCallSite() throws Exception {
        JsonNode report = run(NettyProgram.class, NETTY_FLAGS, "");
        assertThat(where(report.path("sources"), "site", site(NettyProgram.class, "main", "NETTY-UNPOOLED"))).isEmpty();
        boolean nettySite = false;
        for (JsonNode s : report.path("sources")) {
            nettySite |= s.path("site").asText().startsWith("io.netty.") && s.path("liveBlocks").asLong() >= 4;
        }
        assertThat(nettySite).as("a row at a Netty frame in %s", report.path("sources")).isTrue();
    }

    @Test
    void aLeakedArrowBufShowsUnderOrgApacheArrowAtTheCallersSite() throws Exception {
        JsonNode report = run(ArrowProgram.class, List.of(AgentJvm.LIBRARIES, "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow"), "skip=org.apache.arrow");
        JsonNode leak = only(report.path("leaks"), "site", site(ArrowProgram.class, "main", "ARROW-LEAK"));
        assertThat(leak.path("kind").asText()).isEqualTo("unsafe");
        assertThat(leak.path("owner").asText()).startsWith("org.apache.arrow.");
        assertThat(leak.path("bytes").asLong()).isEqualTo(65536);
        JsonNode closed = only(report.path("sources"), "site", site(ArrowProgram.class, "main", "ARROW-CLOSED"));
        assertThat(closed.path("allocations").asLong()).isEqualTo(10);
        assertThat(closed.path("frees").asLong()).isEqualTo(10);
    }

    @Test
    void aFileChannelsTemporaryBuffersAreTheJdksNeverMisuseNorLeaks() throws Exception {
        JsonNode report = run(FileChannelProgram.class, List.of(), "");
        assertThat(report.path("leaks")).as("%s", report.path("leaks")).isEmpty();
        boolean atTheReads = false;
        for (JsonNode s : report.path("sources")) {
            if (s.path("owner").asText().equals("sun.nio.ch.Util (temporary buffer cache)")) {
                assertThat(s.path("kind").asText()).isEqualTo("jdk-internal");
                // the JVM's own start-up reads files too, with no frame of the program on the stack
                atTheReads |= s.path("site").asText().startsWith(FileChannelProgram.class.getName() + ".main(");
            }
        }
        assertThat(atTheReads).as("temporary buffers at the program's reads in %s", report.path("sources")).isTrue();
    }

    private static final List<String> MISTAKE_FLAGS = List.of("--sun-misc-unsafe-memory-access=allow",
            "--enable-native-access=ALL-UNNAMED");

    @Test
    void enforceModeRefusesTheSeedsWrongHeapFreeAndAnInteriorPointer() throws Exception {
        AgentJvm.Result r = AgentJvm.runWith(dir, SeedMistakeProgram.class, MISTAKE_FLAGS, Map.of(), "enforce=true");
        assertThat(r.exit()).as(r.err()).isZero();
        String p = r.out().lines().filter(l -> l.startsWith("mimalloc ")).findFirst().orElseThrow().substring(9);
        String wrong = site(SeedMistakeProgram.class, "SloppyLibrary.release", "WRONG-FREE")
                .replace(".SloppyLibrary.release(", "$SloppyLibrary.release(");
        assertThat(r.out()).contains("refused: dev.custody.agent.boot.WrongHeapException: custody-agent refused a free through"
                        + " sun.misc.Unsafe at " + wrong + ": " + p + " was never allocated by the JVM's allocator")
                .contains("refused: custody-agent refused a free").contains(" lies 16 B inside a live block of 256 B")
                .contains("done").doesNotContain("freed through Unsafe").doesNotContain("freed an interior pointer");
        List<JsonNode> refused = where(r.report().path("misuse"), "kind", "wrong-heap");
        assertThat(refused).hasSize(2);
        assertThat(refused.get(0).path("site").asText()).isEqualTo(wrong);
        assertThat(refused.get(0).path("address").asText()).isEqualTo(p);
        assertThat(refused.get(1).path("site").asText()).isEqualTo(site(SeedMistakeProgram.class, "main", "INTERIOR-FREE"));
    }

    @Test
    void withoutEnforceTheSameMistakeIsReportedAndReachesTheAllocator() throws Exception {
        AgentJvm.Result r = AgentJvm.runWith(dir, SeedMistakeProgram.class, MISTAKE_FLAGS, Map.of(), "");
        assertThat(r.out()).doesNotContain("refused:");
        assertThat(r.err()).contains("custody-agent: misuse: unknown-free of 0x")
                .contains(" at dev.custody.agent.programs.SeedMistakeProgram$SloppyLibrary.release(SeedMistakeProgram.java:");
        // glibc is handed mimalloc's block: it aborts ("free(): invalid pointer"), or lets it pass
        assertThat(r.exit()).as(r.err()).isIn(0, 134);
    }

    @Test
    void enforceModeRefusesAFreeThroughUnsafeOfABlockCustodysRegistryHolds() throws Exception {
        List<String> flags = List.of(AgentJvm.LIBRARIES, "--sun-misc-unsafe-memory-access=allow",
                "--enable-native-access=ALL-UNNAMED");
        AgentJvm.Result r = AgentJvm.runWith(dir, CustodyMistakeProgram.class, flags, Map.of(), "enforce=true");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("refused: custody-agent refused a free through sun.misc.Unsafe at "
                        + site(CustodyMistakeProgram.class, "main", "CUSTODY-FREE"))
                .contains("is in a block of custody's heap 'libc', which must free it")
                .doesNotContain("freed a custody block through Unsafe").contains("live 0");
        assertThat(only(r.report().path("misuse"), "kind", "wrong-heap").path("site").asText())
                .isEqualTo(site(CustodyMistakeProgram.class, "main", "CUSTODY-FREE"));
    }

    @Test
    void enforceModeNeverRefusesTheJdksOwnFrees() throws Exception {
        JsonNode report = run(DirectLeakProgram.class, List.of(), "enforce=true");
        assertThat(where(report.path("misuse"), "kind", "wrong-heap")).isEmpty();
        JsonNode fc = run(FileChannelProgram.class, List.of(), "enforce=true");
        assertThat(fc.path("misuse")).isEmpty();
    }

    @Test
    void eachSourceKindHasAnMxBeanWithItsBooksByOwner() throws Exception {
        AgentJvm.Result r = AgentJvm.run(dir, SourcesProgram.class, List.of(), Map.of());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("owner java.nio.DirectByteBuffer = 12288").contains("kinds 5")
                .contains("liveBlocks 3");
    }

    @Test
    void withNmtOnTheReportPutsTheBooksBesideNmtsOther() throws Exception {
        JsonNode on = run(DirectLeakProgram.class, List.of("-XX:NativeMemoryTracking=summary"), "").path("unexplained");
        long explained = on.path("explainedBytes").asLong();
        assertThat(explained).isGreaterThanOrEqualTo(3 * 4096 + 4 * 8192);
        assertThat(on.path("nmtOtherBytes").asLong()).as("NMT books every Unsafe block as Other").isGreaterThanOrEqualTo(explained);
        assertThat(on.path("unexplainedNmtOtherBytes").asLong())
                .isEqualTo(on.path("nmtOtherBytes").asLong() - explained);
        JsonNode off = run(HelloProgram.class, List.of(), "").path("unexplained");
        assertThat(off.path("nmtOtherBytes").isNull()).isTrue();
        assertThat(off.path("unexplainedNmtOtherBytes").isNull()).isTrue();
    }
}
