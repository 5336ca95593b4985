package dev.custody;

import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CustodyTest {

    @Test
    void heapsAreVisibleOverJmx() throws Exception {
        Custody.exposeOverJmx();
        Heap h = Heaps.libc().child("jmx-visible", Long.MAX_VALUE);
        Block b = h.allocate(321, Tag.of("jmx"));
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.custody:type=Heap,name=jmx-visible"); // quoted only when it must be
        assertThat(server.getAttribute(name, "LiveBytes")).isEqualTo(321L);
        assertThat(server.getAttribute(name, "LiveBlocks")).isEqualTo(1L);
        assertThat(server.getAttribute(name, "Tracking")).isEqualTo("OFF");
        assertThat(server.isRegistered(new ObjectName("dev.custody:type=Heap,name=libc"))).isTrue();
        b.free();
        h.close();
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void assertNothingOutstandingIsDeterministic() {
        Heap h = Heaps.libc().child("outstanding", Long.MAX_VALUE);
        Block b = h.allocate(10, Tag.of("outstanding"));
        assertThatThrownBy(() -> Custody.assertNothingOutstanding(h)).isInstanceOf(LeakException.class)
                .hasMessageStartingWith("Custody.assertNothingOutstanding() checked the heaps given (1: 'outstanding')"
                        + " for live blocks not marked not a leak: heap 'outstanding' (with its children) has 1 live"
                        + " block, 10 B; nothing was freed.")
                .hasMessageNotContaining("closed");
        assertThatThrownBy(Custody::assertNothingOutstanding).isInstanceOf(LeakException.class);
        b.markNotALeak();
        Custody.assertNothingOutstanding(h);
        b.free();
        h.close();
    }

    /** Untracked leaks: each says so in the same words, and the report names the switch once. */
    @Test
    void aLeakReportOfUntrackedBlocksNamesTheSwitchOnce() {
        Heap h = Heaps.libc().child("untracked-leaks", Long.MAX_VALUE);
        Block a = h.allocate(10, Tag.of("untracked-leaks"));
        Block b = h.allocate(20, Tag.of("untracked-leaks"));
        assertThatThrownBy(h::close).isInstanceOf(LeakException.class)
                .hasMessageContaining("heap 'untracked-leaks' closed with 2 live blocks, 30 B")
                .hasMessageContaining("30 B in 2 blocks: untracked-leaks @ (allocation site not tracked)")
                .satisfies(e -> assertThat(e.getMessage().split("-Dcustody.tracking=full", -1)).hasSize(2))
                .hasMessageEndingWith("(allocation site not tracked: turn tracking on with -Dcustody.tracking=full,"
                        + " or heap.setTracking(Tracking.FULL))");
        a.free();
        b.free();
        h.close();
    }

    /** The report keeps each block's allocation site, as Class.method(File.java:line), and says what it checked. */
    @Test
    void assertNothingOutstandingKeepsTheSites() {
        Heap h = Heaps.libc().child("outstanding-sites", Long.MAX_VALUE);
        h.setTracking(Tracking.FULL, 1);
        Block b = allocateHere(h);
        assertThatThrownBy(Custody::assertNothingOutstanding).isInstanceOf(LeakException.class)
                .hasMessageStartingWith("Custody.assertNothingOutstanding() checked every open heap (")
                .hasMessageContaining("24 B in 1 block: sited @ dev.custody.CustodyTest.allocateHere(CustodyTest.java:")
                .satisfies(e -> assertThat(((LeakException) e).leaks()).anySatisfy(l -> {
                    assertThat(l.size()).isEqualTo(24);
                    assertThat(l.where()).startsWith("dev.custody.CustodyTest.allocateHere(CustodyTest.java:");
                }));
        assertThat(Custody.liveBlocks()).contains(b);
        b.free();
        assertThat(Custody.liveBlocks()).doesNotContain(b);
        h.close();
    }

    private static Block allocateHere(Heap h) {
        return h.allocate(24, Tag.of("sited"));
    }

    /** liveBlocks() lists a counted block as its SharedBlock: the check reads the mark through the public API. */
    @Test
    void assertNothingOutstandingReadsTheMarkOfACountedBlock() {
        Heap h = Heaps.libc().child("outstanding-shared", Long.MAX_VALUE);
        SharedBlock s = h.allocateShared(16, Tag.of("outstanding"));
        assertThatThrownBy(() -> Custody.assertNothingOutstanding(h)).isInstanceOf(LeakException.class);
        s.markNotALeak();
        assertThat(s.isMarkedNotALeak()).isTrue();
        Custody.assertNothingOutstanding(h);
        assertThat(s.release()).isTrue();
        h.close();
    }
}
