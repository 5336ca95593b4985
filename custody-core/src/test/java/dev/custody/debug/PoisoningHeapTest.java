package dev.custody.debug;

import dev.custody.Block;
import dev.custody.DoubleFreeException;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.IllegalHandOffException;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.UnknownBlockException;
import dev.custody.WrongHeapException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoisoningHeapTest {
    private static final Tag TAG = Tag.of("poison-test");

    static List<Heap> bases() {
        return Bases.all().toList();
    }

    private static DebugHeap heap(Heap base, List<Corruption> heard) {
        return DebugHeaps.poisoning(base, DebugOptions.defaults().withListener(heard::add));
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void anOverrunIsThrownAtTheFreeWithTheBlocksIdentity(Heap base) {
        List<Corruption> heard = new ArrayList<>();
        DebugHeap h = heap(base, heard);
        h.setTracking(Tracking.FULL, 1);
        Block b = h.allocate(24, TAG);
        b.segment().fill((byte) 7); // the block's own bytes are fine
        Bases.raw(b.address(), 26).set(JAVA_BYTE, 25, (byte) 1); // two bytes past the end

        assertThatThrownBy(b::free).isInstanceOf(HeapCorruptionException.class)
                .hasMessageContaining("buffer overrun")
                .hasMessageContaining("24 B block tagged 'poison-test' at 0x" + Long.toHexString(b.address()))
                .hasMessageContaining("of heap '" + h.name() + "'")
                .hasMessageContaining("byte 25 (1 B past its end)")
                .hasMessageContaining("allocated: allocate")
                .hasMessageContaining(getClass().getName())
                .satisfies(e -> {
                    Corruption c = ((HeapCorruptionException) e).corruption();
                    assertThat(c.kind()).isEqualTo(Corruption.Kind.OVERRUN);
                    assertThat(c.offset()).isEqualTo(25);
                    assertThat(c.address()).isEqualTo(b.address());
                    assertThat(c.size()).isEqualTo(24);
                    assertThat(c.tag()).isEqualTo(TAG);
                    assertThat(c.sites()).isNotEmpty();
                });
        assertThat(b.isLive()).isFalse();
        assertThat(h.stats().total().liveBlocks()).isZero();
        assertThat(heard).singleElement().extracting(Corruption::kind).isEqualTo(Corruption.Kind.OVERRUN);
        assertThatThrownBy(h::close).isInstanceOf(HeapCorruptionException.class).hasMessageContaining("buffer overrun");
    }

    @Test
    void everyCorruptionIsAlsoAJfrMisuseEvent(@TempDir Path dir) throws IOException {
        DebugHeap h = heap(Heaps.libc(), new ArrayList<>());
        try (Recording r = new Recording()) {
            r.enable("dev.custody.Misuse");
            r.start();
            Block b = h.allocate(8, TAG);
            Bases.raw(b.address(), 9).set(JAVA_BYTE, 8, (byte) 0);
            assertThatThrownBy(b::free).isInstanceOf(HeapCorruptionException.class);
            r.stop();
            Path file = dir.resolve("misuse.jfr");
            r.dump(file);
            // only the Misuse events: a recording also holds JFR's own (settings, active recordings)
            assertThat(RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("dev.custody.Misuse"))).anySatisfy(e -> {
                assertThat(e.getString("kind")).isEqualTo("HeapCorruptionException");
                assertThat(e.getString("heap")).isEqualTo(h.name());
                assertThat(e.getString("message")).contains("buffer overrun", "8 B block tagged 'poison-test'");
            });
        }
        assertThatThrownBy(h::close).isInstanceOf(HeapCorruptionException.class);
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void anUnderrunIsThrownAtTheFree(Heap base) {
        DebugHeap h = heap(base, new ArrayList<>());
        Block b = h.allocate(100, TAG);
        Bases.raw(b.address() - 3, 1).set(JAVA_BYTE, 0, (byte) 0);
        assertThatThrownBy(b::free).isInstanceOf(HeapCorruptionException.class)
                .hasMessageContaining("buffer underrun").hasMessageContaining("byte -3 (3 B before its start)")
                .hasMessageContaining("allocation site not tracked");
        assertThatThrownBy(h::close).isInstanceOf(HeapCorruptionException.class);
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void aWriteAfterFreeIsReportedWhenTheBlockLeavesTheQuarantine(Heap base) {
        List<Corruption> heard = new ArrayList<>();
        DebugHeap h = DebugHeaps.poisoning(base, DebugOptions.defaults().withQuarantine(1, 1 << 20)
                .withListener(heard::add));
        h.setTracking(Tracking.FULL, 1);
        Block victim = h.allocate(64, TAG);
        long address = victim.address();
        victim.free();
        assertThat(Bases.raw(address, 64).get(JAVA_BYTE, 10)).isEqualTo(DebugOptions.defaults().poison());
        Bases.raw(address, 64).set(JAVA_LONG, 40, 42L); // a stale pointer writes into freed memory
        assertThat(heard).isEmpty();

        h.allocate(8, TAG).free(); // pushes the victim out of the one-block quarantine

        assertThat(heard).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Corruption.Kind.WRITE_AFTER_FREE);
            assertThat(c.address()).isEqualTo(address);
            assertThat(c.offset()).isEqualTo(40);
            assertThat(c.freedOnThread()).isEqualTo(Thread.currentThread().getName());
            assertThat(c.sites()).extracting(s -> s.event()).contains("allocate", "free");
            assertThat(c.message()).contains("write after free: byte 40 of the freed 64 B block tagged 'poison-test'",
                    "freed on thread '" + Thread.currentThread().getName() + "'", "freed: free", "allocated: allocate");
        });
        assertThatThrownBy(h::verify).isInstanceOf(HeapCorruptionException.class).hasMessageContaining("write after free");
        assertThatThrownBy(h::close).isInstanceOf(HeapCorruptionException.class).hasMessageContaining("write after free");
    }

    @Test
    void anOverrunOfAFreedBlockIsReportedAsItLeavesTheQuarantine() {
        List<Corruption> heard = new ArrayList<>();
        DebugHeap h = DebugHeaps.poisoning(Heaps.libc(), DebugOptions.defaults().withQuarantine(1, 1 << 20)
                .withListener(heard::add));
        Block victim = h.allocate(10, TAG);
        long address = victim.address();
        victim.free();
        Bases.raw(address, 12).set(JAVA_BYTE, 11, (byte) 0); // past the end of a freed block
        h.allocate(8, TAG).free();
        assertThat(heard).singleElement().satisfies(c -> {
            assertThat(c.kind()).isEqualTo(Corruption.Kind.OVERRUN);
            assertThat(c.offset()).isEqualTo(11);
            assertThat(c.message()).contains("found as it left the quarantine", "freed on thread");
        });
        assertThatThrownBy(h::close).isInstanceOf(HeapCorruptionException.class);
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void verifyFindsAWriteAfterFreeStillInQuarantineAndReportsItOnce(Heap base) {
        List<Corruption> heard = new ArrayList<>();
        DebugHeap h = heap(base, heard);
        Block b = h.allocate(32, TAG);
        long address = b.address();
        b.free();
        h.verify(); // clean so far
        Bases.raw(address, 32).set(JAVA_BYTE, 0, (byte) 1);
        assertThatThrownBy(h::verify).isInstanceOf(HeapCorruptionException.class)
                .extracting(e -> ((HeapCorruptionException) e).corruption().offset()).isEqualTo(0L);
        assertThatThrownBy(h::close).isInstanceOf(HeapCorruptionException.class);
        assertThat(heard).hasSize(1);
        assertThat(h.corruptions()).hasSize(1);
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void aRawAddressDoubleFreeIsCaughtWhileTheAddressIsInQuarantine(Heap base) {
        DebugHeap h = heap(base, new ArrayList<>());
        h.setTracking(Tracking.FULL, 1);
        Block b = h.allocate(48, TAG);
        MemorySegment raw = MemorySegment.ofAddress(b.address());
        h.free(raw);
        assertThatThrownBy(() -> h.free(raw)).isInstanceOf(DoubleFreeException.class)
                .hasMessageContaining("double free by raw address: free(0x" + Long.toHexString(b.address()))
                .hasMessageContaining("already freed on thread '" + Thread.currentThread().getName() + "'")
                .hasMessageContaining("first free: free")
                .hasMessageContaining("Nothing reached the native allocator twice");
        assertThat(h.quarantinedBlocks()).isEqualTo(1);
        h.close();
    }

    @Test
    void racingRawFreesHaveOneWinnerAndTheLoserGetsADoubleFree() throws Exception {
        DebugHeap h = DebugHeaps.poisoning(Heaps.libc());
        int n = 2_000; // within the default quarantine of 4096 blocks, so every loser's address is still held
        long[] addresses = new long[n];
        for (int i = 0; i < n; i++) {
            Block b = h.allocate(16 + i % 50, TAG);
            b.detach(); // any thread may free a detached block
            addresses[i] = b.address();
        }
        java.util.concurrent.atomic.AtomicInteger freed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger doubles = new java.util.concurrent.atomic.AtomicInteger();
        Runnable racer = () -> {
            for (long a : addresses) {
                try {
                    h.free(MemorySegment.ofAddress(a));
                    freed.incrementAndGet();
                } catch (DoubleFreeException e) {
                    doubles.incrementAndGet();
                }
            }
        };
        Thread t1 = Thread.ofPlatform().start(racer);
        Thread t2 = Thread.ofPlatform().start(racer);
        t1.join();
        t2.join();
        assertThat(freed.get()).isEqualTo(n);
        assertThat(doubles.get()).isEqualTo(n);
        assertThat(h.stats().total().liveBlocks()).isZero();
        assertThat(h.stats().total().frees()).isEqualTo(n);
        h.close();
        assertThat(h.corruptions()).isEmpty();
    }

    @Test
    void withoutTheQuarantineTheSameRawFreeIsOnlyAnUnknownAddress() {
        DebugHeap h = DebugHeaps.poisoning(Heaps.libc(), DebugOptions.defaults().withQuarantine(0, 0));
        Block b = h.allocate(48, TAG);
        MemorySegment raw = MemorySegment.ofAddress(b.address());
        h.free(raw);
        assertThat(h.quarantinedBlocks()).isZero();
        assertThatThrownBy(() -> h.free(raw)).isInstanceOf(UnknownBlockException.class);
        h.close();
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void handOffIsRefusedForCanariedBlocks(Heap base) {
        DebugHeap h = heap(base, new ArrayList<>());
        Block b = h.allocate(16, TAG);
        assertThatThrownBy(() -> b.handOff(base)).isInstanceOf(IllegalHandOffException.class)
                .hasMessageContaining("custody's own").hasMessageContaining("16 B block tagged 'poison-test'");
        assertThat(b.isLive()).isTrue();
        b.free();
        h.close();
    }

    @ParameterizedTest(autoCloseArguments = false) // the bases are the process's heaps: a test must not close them
    @MethodSource("bases")
    void theLawsHoldOnADebugHeap(Heap base) {
        DebugHeap h = heap(base, new ArrayList<>());
        Heap other = base == Heaps.libc() ? Bases.mimalloc() : Heaps.libc();
        Figures baseBefore = base.stats().total();

        // wrong heap: refused, the block untouched and live
        Block b = h.allocate(40, TAG);
        b.segment().set(JAVA_LONG, 0, 99L);
        assertThatThrownBy(() -> other.free(b)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("block of '" + h.name() + "' freed through '" + other.name() + "'");
        assertThat(b.isLive()).isTrue();
        assertThat(b.segment().get(JAVA_LONG, 0)).isEqualTo(99L);

        // double free through the block
        b.free();
        assertThatThrownBy(b::free).isInstanceOf(DoubleFreeException.class).hasMessageContaining("already freed");

        // the base is the same owner: freeing through it reaches the debug heap's checks
        Block viaBase = h.allocate(8, TAG);
        base.free(viaBase);
        assertThat(viaBase.isLive()).isFalse();

        // books exact under random allocations, frees and reallocations, rolled up into the base
        SplittableRandom r = new SplittableRandom(7);
        List<Block> live = new ArrayList<>();
        for (int i = 0; i < (Bases.soak() ? 200_000 : 2_000); i++) {
            int op = r.nextInt(3);
            if (op == 0 || live.isEmpty()) {
                live.add(h.allocate(r.nextInt(1, 300), r.nextBoolean() ? 1 : 64, TAG));
            } else if (op == 1) {
                live.remove(r.nextInt(live.size())).free();
            } else {
                int k = r.nextInt(live.size());
                Block old = live.get(k);
                old.segment().set(JAVA_BYTE, 0, (byte) 5);
                Block moved = h.reallocate(old, r.nextInt(1, 300));
                assertThat(moved.segment().get(JAVA_BYTE, 0)).isEqualTo((byte) 5);
                assertThatThrownBy(old::segment).isInstanceOf(dev.custody.UseAfterFreeException.class);
                live.set(k, moved);
            }
            if (i % 97 == 0) {
                assertBooks(h, base, baseBefore, live);
            }
        }
        assertBooks(h, base, baseBefore, live);
        live.forEach(Block::free);
        assertThat(h.stats().total().liveBytes()).isZero();
        h.close(); // drains the quarantine: every canary and poison intact
        assertThat(h.corruptions()).isEmpty();
    }

    private static void assertBooks(DebugHeap h, Heap base, Figures baseBefore, List<Block> live) {
        long bytes = live.stream().mapToLong(Block::byteSize).sum();
        assertThat(h.stats().total().liveBytes()).isEqualTo(bytes);
        assertThat(h.stats().total().liveBlocks()).isEqualTo(live.size());
        assertThat(h.stats().tag(TAG).liveBytes()).isEqualTo(bytes);
        if (base != Heaps.libc()) { // libc's books are shared with whatever else runs in this JVM
            assertThat(base.stats().total().liveBytes() - baseBefore.liveBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void alignedAndZeroedAllocationsKeepTheirPromises() {
        DebugHeap h = DebugHeaps.poisoning(Heaps.libc());
        Block a = h.allocate(100, 256, TAG);
        assertThat(a.address() % 256).isZero();
        Block z = h.allocateZeroed(1000, TAG);
        assertThat(MemorySegment.mismatch(z.segment(), 0, 1000, MemorySegment.ofArray(new byte[1000]), 0, 1000))
                .isEqualTo(-1L);
        a.free();
        z.free();
        h.close();
    }
}
