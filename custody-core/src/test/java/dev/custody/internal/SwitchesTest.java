package dev.custody.internal;

import dev.custody.ChildJvm;
import dev.custody.Tracking;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** custody's switches from outside the code, each read by a real child JVM that sets it and nothing else. */
class SwitchesTest {

    @Test
    void trackingSettingsAreParsedWithSizesInBytes() {
        assertThat(Switches.Spec.parse("off")).isEqualTo(new Switches.Spec(Tracking.OFF, 1));
        assertThat(Switches.Spec.parse(" FULL ")).isEqualTo(new Switches.Spec(Tracking.FULL, 1));
        assertThat(Switches.Spec.parse("sampled")).isEqualTo(new Switches.Spec(Tracking.SAMPLED, 512 * 1024));
        assertThat(Switches.Spec.parse("sampled:4096")).isEqualTo(new Switches.Spec(Tracking.SAMPLED, 4096));
        assertThat(Switches.Spec.parse("sampled:64k")).isEqualTo(new Switches.Spec(Tracking.SAMPLED, 65536));
        assertThat(Switches.Spec.parse("Sampled:2M")).isEqualTo(new Switches.Spec(Tracking.SAMPLED, 2 << 20));
        assertThat(Switches.Spec.parse("sampled:64k")).hasToString("sampled:65536");
        for (String bad : List.of("", "on", "sampled:", "sampled:0", "sampled:-1", "sampled:2048m", "sampled:1g",
                "sampled:x", "full:2")) {
            assertThatThrownBy(() -> Switches.Spec.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void thePropertySetsTheDefaultOfEveryRootHeapAndAPerHeapSettingBeatsIt() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SwitchesChild.class, List.of("-Dcustody.tracking=full"), "tracking");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("libc=FULL", "child=FULL", "region=FULL", "mimalloc=OFF",
                "mimalloc-child=OFF", "site=dev.custody.internal.SwitchesChild.tracking(SwitchesChild.java:");
    }

    @Test
    void theEnvironmentVariableSetsTheDefaultAndThePropertyBeatsIt() throws Exception {
        ChildJvm.Result env = ChildJvm.run(SwitchesChild.class, Map.of("CUSTODY_TRACKING", "sampled:1m"), List.of(),
                "tracking");
        assertThat(env.exitCode()).as(env.stderr()).isZero();
        assertThat(env.stdout()).contains("libc=SAMPLED", "child=SAMPLED", "mimalloc=OFF");
        ChildJvm.Result both = ChildJvm.run(SwitchesChild.class, Map.of("CUSTODY_TRACKING", "sampled"),
                List.of("-Dcustody.tracking=off"), "tracking");
        assertThat(both.stdout()).contains("libc=OFF", "child=OFF", "site=none");
    }

    @Test
    void unsetMeansOffAndABadValueIsNamedAndIgnored() throws Exception {
        ChildJvm.Result unset = ChildJvm.run(SwitchesChild.class, "tracking");
        assertThat(unset.stdout()).contains("libc=OFF", "child=OFF", "site=none");
        ChildJvm.Result bad = ChildJvm.run(SwitchesChild.class, List.of("-Dcustody.tracking=loud"), "tracking");
        assertThat(bad.exitCode()).isZero();
        assertThat(bad.stdout()).contains("libc=OFF");
        assertThat(bad.stderr()).contains("custody: -Dcustody.tracking=loud ignored, tracking stays off",
                "expected off, sampled, sampled:N");
    }

    @Test
    void jmxRegistersEveryHeapWithoutCodeWithDistinctNamesAndUnregistersAtClose() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SwitchesChild.class, List.of("-Dcustody.jmx=true"), "jmx");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains(
                "names=[dev.custody:type=Heap,name=\"a,b=c\", dev.custody:type=Heap,name=libc, "
                        + "dev.custody:type=Heap,name=twin, dev.custody:type=Heap,name=twin,instance=2]",
                "twin.LiveBytes=128",
                "twin.Tags=[jmx-a:100/1, jmx-b:28/1]",
                "describe.LiveBytes=Bytes in live blocks of this heap and its children, in all tags",
                "describe.Tags=The books per tag",
                "operation=changeTracking(setting)",
                "after-invoke=SAMPLED SAMPLED",
                "bad-invoke=IllegalArgumentException: expected off, sampled, sampled:N",
                "after-bad-invoke=SAMPLED",
                "tracking-attribute=read-only",
                "names-after-close=[dev.custody:type=Heap,name=libc]");
    }

    @Test
    void withoutTheSwitchNoHeapIsRegistered() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SwitchesChild.class, "jmx");
        assertThat(r.stdout()).contains("names=[]");
    }

    @Test
    void theLeakReportAtExitListsEveryHeapsLiveBlocksBySiteAndFreesNothing() throws Exception {
        ChildJvm.Result r = ChildJvm.run(SwitchesChild.class,
                List.of("-Dcustody.leakReportAtExit=true", "-Dcustody.tracking=full"), "exit");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("main-done");
        assertThat(r.stderr()).contains(
                "custody: at exit, 5 live blocks, 323 B, in 2 heaps; nothing was freed (custody.leakReportAtExit)",
                "heap 'mod': 4 blocks, 307 B, by site:",
                "300 B in 3 blocks: paths @ dev.custody.internal.SwitchesChild.leakTwo(SwitchesChild.java:",
                "7 B in 1 block: strings @ dev.custody.internal.SwitchesChild.exit(SwitchesChild.java:",
                "16 B in 1 block: level @ dev.custody.internal.SwitchesChild.exit(SwitchesChild.java:")
                .doesNotContain("kept", "region-chunks", "allocation site not tracked");
        ChildJvm.Result untracked = ChildJvm.run(SwitchesChild.class, List.of("-Dcustody.leakReportAtExit=true"), "exit");
        assertThat(untracked.stderr()).contains("300 B in 3 blocks: paths @ (allocation site not tracked)",
                "(allocation site not tracked: turn tracking on with -Dcustody.tracking=full, or"
                        + " heap.setTracking(Tracking.FULL))");
        ChildJvm.Result off = ChildJvm.run(SwitchesChild.class, "exit");
        assertThat(off.stderr()).doesNotContain("custody: at exit");
    }
}
