package dev.custody.junit;

import dev.custody.Tag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The extension under JUnit's own engine, on real heaps: what fails, what passes, and what a failure says. */
class CustodyExtensionTest {

    /** {@link LeakyCases}, run once: its class initializer runs once per JVM. */
    private static Map<String, TestExecutionResult> leaky;

    @BeforeAll
    static void runTheLeakyCases() {
        leaky = run(LeakyCases.class);
    }

    @AfterAll
    static void freeWhatTheCasesLeft() {
        LeakyCases.TRACKED.freeLeaked();
        LeakyCases.UNTRACKED.freeLeaked();
    }

    private static Map<String, TestExecutionResult> run(Class<?> cases) {
        EngineExecutionResults r = EngineTestKit.engine("junit-jupiter").selectors(selectClass(cases)).execute();
        return r.testEvents().finished().stream().collect(Collectors.toMap(
                e -> e.getTestDescriptor().getLegacyReportingName().replace("()", ""),
                e -> e.getRequiredPayload(TestExecutionResult.class)));
    }

    @Test
    void aLeakFailsItsTestAsAnAssertionErrorListingEveryBlockWithItsSite() {
        Throwable t = leaky.get("leaksTwoBlocks").getThrowable().orElseThrow();
        assertThat(t).isExactlyInstanceOf(AssertionError.class);
        assertThat(t.getMessage()).startsWith("test leaksTwoBlocks() left 2 native blocks live, 96 B,"
                        + " allocated during the test and not freed:")
                .containsPattern("\n  64 B tagged 'leaked' on heap 'junit-tracked', allocated at"
                        + " dev\\.custody\\.junit\\.LeakyCases\\.leakOne\\(LeakyCases\\.java:\\d+\\)"
                        + "\n  32 B tagged 'leaked' on heap 'junit-tracked', allocated at"
                        + " dev\\.custody\\.junit\\.LeakyCases\\.leakOne\\(LeakyCases\\.java:\\d+\\)")
                .doesNotContain("class-init", "before-all", "not tracked");
    }

    @Test
    void whatWasLiveBeforeMarkedBlocksAndPoolChunksAreLeftOutAndLaterTestsPass() {
        Map<String, TestExecutionResult> r = leaky;
        for (String passes : new String[] {"freesWhatItAllocates", "marksWhatItKeeps",
                "aPoolsChunkAndAFramesChunkAreNotLeaks", "runsAfterTheLeaksAndPasses"}) {
            assertThat(r.get(passes).getStatus()).as(passes + ": " + r.get(passes).getThrowable())
                    .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        }
        assertThat(r).hasSize(8);
        // the region's chunk was made during test 4 and is still live: it is the region's
        assertThat(LeakyCases.TRACKED.stats().tag(Tag.of("region-chunks")).liveBlocks()).isEqualTo(1);
    }

    /** A pool's own blocks are the test's leak, though its chunk is not. */
    @Test
    void aRegionsBlockLeftLiveIsALeak() {
        Throwable t = leaky.get("leaksARegionBlock").getThrowable().orElseThrow();
        assertThat(t).isExactlyInstanceOf(AssertionError.class);
        assertThat(t.getMessage()).startsWith("test leaksARegionBlock() left 1 native block live, 40 B,")
                .contains("40 B tagged 'level-kept' on heap 'junit-region', allocated at"
                        + " dev.custody.junit.LeakyCases.leaksARegionBlock(LeakyCases.java:")
                .doesNotContain("region-chunks");
    }

    @Test
    void anUntrackedBlockIsListedWithoutASiteAndSaysHowToGetOne() {
        Throwable t = leaky.get("leaksOnAnUntrackedHeap").getThrowable().orElseThrow();
        assertThat(t).isExactlyInstanceOf(AssertionError.class);
        assertThat(t.getMessage()).contains("48 B tagged 'untracked' on heap 'junit-untracked', (allocation site"
                + " not tracked)", "(allocation site not tracked: turn tracking on with -Dcustody.tracking=full, or"
                + " heap.setTracking(Tracking.FULL))");
    }

    @Test
    void aTestThatFailsItselfKeepsItsOwnFailureAndTheLeakIsSuppressedBesideIt() {
        Throwable t = leaky.get("failsItselfAndLeaks").getThrowable().orElseThrow();
        assertThat(t).hasMessageContaining("the test's own failure");
        assertThat(t.getSuppressed()).singleElement().isExactlyInstanceOf(AssertionError.class)
                .satisfies(s -> assertThat(s.getMessage()).contains("8 B tagged 'both'"));
    }

    @Test
    void extendWithAndTheAnnotationOnAMethodWorkAlike() {
        assertThat(run(ExtendedCases.class).get("leaks").getThrowable().orElseThrow())
                .isExactlyInstanceOf(AssertionError.class).hasMessageContaining("24 B tagged 'extended'");
        Map<String, TestExecutionResult> m = run(ExtendedCases.MethodLevel.class);
        assertThat(m.get("checked").getThrowable().orElseThrow()).hasMessageContaining("12 B tagged 'method-level'");
        assertThat(m.get("unchecked").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

}
