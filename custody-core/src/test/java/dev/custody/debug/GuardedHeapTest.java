package dev.custody.debug;

import dev.custody.Block;
import dev.custody.DoubleFreeException;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.IllegalHandOffException;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.WrongHeapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GuardedHeapTest {
    private static final Tag TAG = Tag.of("guard-test");
    private static final long PAGE = 4096;

    static List<Heap> bases() {
        return Bases.all().toList();
    }

    /** The number of lines in /proc/self/maps: the kernel's own count of this process's mappings. */
    private static long mappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void eachBlockEndsAgainstAGuardPageAndItsPagesComeBackAtClose(Heap base) throws IOException {
        DebugHeap h = DebugHeaps.guarded(base, DebugOptions.defaults().withQuarantine(8, 1 << 20));
        long mapsBefore = mappings();
        List<Block> blocks = new ArrayList<>();
        for (int size : new int[] {1, 16, 100, 4096, 5000}) {
            Block b = h.allocate(size, TAG);
            b.segment().fill((byte) 3); // every byte of the block is usable
            long end = b.address() + ((size + 15) & -16);
            assertThat(end % PAGE).as("block of %d B ends at a page boundary", size).isZero();
            assertThat(b.address() % 16).isZero();
            blocks.add(b);
        }
        assertThat(h.guardedBlocks()).isEqualTo(5);
        // The kernel counts the mappings: 2 per block, except where adjacent runs merged. Tolerance
        // 4 here and below: the JVM may start or stop a compiler thread (a stack and its guard) meanwhile.
        assertThat(mappings() - mapsBefore).isBetween(5L - 4, 10L + 4);
        blocks.forEach(Block::free);
        assertThat(h.guardedBlocks()).isZero();
        assertThat(h.quarantinedBlocks()).isEqualTo(5);
        h.close();
        assertThat(h.quarantinedBlocks()).isZero();
        assertThat(mappings() - mapsBefore).isBetween(-4L, 4L);
    }

    @Test
    void anOverrunIntoTheSlackBeforeTheGuardIsCaughtByItsCanary() {
        DebugHeap h = DebugHeaps.guarded(Heaps.libc(), DebugOptions.defaults().withListener(c -> { }));
        Block b = h.allocate(20, TAG); // 12 slack bytes between the block and the guard page
        Bases.raw(b.address(), 21).set(JAVA_BYTE, 20, (byte) 1);
        assertThatThrownBy(b::free).isInstanceOf(HeapCorruptionException.class)
                .hasMessageContaining("buffer overrun").hasMessageContaining("byte 20 (0 B past its end)")
                .hasMessageContaining("of heap 'guarded(libc)'");
        assertThat(h.guardedBlocks()).isZero();
        assertThatThrownBy(h::close).isInstanceOf(HeapCorruptionException.class);
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void pastTheMappingBudgetItGuardsOneBlockInN(Heap base) {
        DebugHeap h = DebugHeaps.guarded(base, DebugOptions.defaults().withMaxMappings(8).withSampleEvery(3)
                .withQuarantine(0, 0));
        assertThat(h.mappingBudget()).isEqualTo(8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            blocks.add(h.allocate(64, TAG));
        }
        assertThat(h.guardedBlocks()).isEqualTo(4);
        assertThat(h.sampling()).isFalse();
        blocks.add(h.allocate(64, TAG)); // over budget: canaries from the base instead
        assertThat(h.sampling()).isTrue();
        assertThat(h.guardedBlocks()).isEqualTo(4);
        blocks.removeFirst().free(); // room for one again; now one allocation in 3 is guarded
        for (int i = 0; i < 6; i++) {
            blocks.add(h.allocate(64, TAG));
        }
        assertThat(h.guardedBlocks()).isEqualTo(4);
        // the guarded ones end on a page boundary; a canaried one may too, by chance
        assertThat(blocks.stream().filter(b -> (b.address() + 64) % PAGE == 0).count()).isGreaterThanOrEqualTo(4);
        for (Block b : blocks) {
            b.segment().set(JAVA_LONG, 56, 1L);
            b.free();
        }
        h.close();
        assertThat(h.corruptions()).isEmpty();
    }

    @Test
    void defaultBudgetIsHalfOfMaxMapCount() throws IOException {
        long max = Long.parseLong(new ProcessBuilder("cat", "/proc/sys/vm/max_map_count").start()
                .inputReader().readLine().trim()); // read by another program: an independent witness
        DebugHeap h = DebugHeaps.guarded(Heaps.libc(), DebugOptions.defaults());
        assertThat(h.mappingBudget()).isEqualTo(max / 2);
        h.close();
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void theLawsAndTheQuarantineHoldOnGuardedBlocks(Heap base) {
        DebugHeap h = DebugHeaps.guarded(base, DebugOptions.defaults());
        h.setTracking(Tracking.FULL, 1);
        Heap other = base == Heaps.libc() ? Bases.mimalloc() : Heaps.libc();
        Block b = h.allocate(200, TAG);
        assertThatThrownBy(() -> b.handOff(base)).isInstanceOf(IllegalHandOffException.class);
        assertThatThrownBy(() -> other.free(b)).isInstanceOf(WrongHeapException.class);
        assertThat(h.stats().total().liveBytes()).isEqualTo(200);
        Block moved = h.reallocate(b, 5000);
        assertThat((moved.address() + 5008) % PAGE).isZero();
        MemorySegment raw = MemorySegment.ofAddress(moved.address());
        h.free(raw);
        assertThatThrownBy(() -> h.free(raw)).isInstanceOf(DoubleFreeException.class)
                .hasMessageContaining("double free by raw address").hasMessageContaining("first free: free");
        assertThatThrownBy(moved::free).isInstanceOf(DoubleFreeException.class);
        assertThat(h.stats().total().liveBytes()).isZero();
        assertThat(h.stats().total().frees()).isEqualTo(2);
        h.close();
    }

    @Test
    void theRingRecordsEveryAllocationAndFree(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ring");
        DebugHeap h = DebugHeaps.guarded(Heaps.libc(), DebugOptions.defaults().withRing(file, 4)
                .withQuarantine(0, 0));
        h.setTracking(Tracking.FULL, 1);
        Block a = h.allocate(10, TAG);
        long address = a.address();
        a.free();
        List<GuardRing.Event> events = GuardRing.read(file);
        assertThat(events).extracting(GuardRing.Event::kind).containsExactly("allocate", "free", "unmap");
        GuardRing.Event first = events.getFirst();
        assertThat(first.heap()).isEqualTo("guarded(libc)");
        assertThat(first.tag()).isEqualTo("guard-test");
        assertThat(first.size()).isEqualTo(10);
        assertThat(first.address()).isEqualTo(address);
        assertThat(first.guarded()).isTrue();
        assertThat(first.thread()).isEqualTo(Thread.currentThread().getName());
        assertThat(first.threadId()).isEqualTo(Thread.currentThread().threadId());
        assertThat(first.site()).contains(getClass().getSimpleName());
        for (int i = 0; i < 3; i++) {
            h.allocate(i + 1, TAG).free();
        }
        // capacity 4: the last four of twelve events, in order
        events = GuardRing.read(file);
        assertThat(events).extracting(GuardRing.Event::sequence).containsExactly(8L, 9L, 10L, 11L);
        assertThat(events).extracting(GuardRing.Event::kind).containsExactly("unmap", "allocate", "free", "unmap");
        h.close();
    }

    @Test
    void theReaderRefusesAFileThatIsNoRing(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("not-a-ring"), new byte[100]);
        assertThatThrownBy(() -> GuardRing.read(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a custody guard ring");
    }
}
