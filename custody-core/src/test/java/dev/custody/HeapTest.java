package dev.custody;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HeapTest {
    private final Heap libc = Heaps.libc();
    private final Heap mi = Allocators.mimalloc();
    private final Tag paths = Tag.of("heap-test-paths");

    @Test
    void blockKnowsItsHeapAndFreesHome() {
        Block b = mi.allocate(4096, paths);
        b.segment().set(ValueLayout.JAVA_INT, 0, 42);
        assertThat(b.heap()).isSameAs(mi);
        assertThat(b.tag()).isSameAs(paths);
        assertThat(b.byteSize()).isEqualTo(4096);
        assertThat(b.segment().get(ValueLayout.JAVA_INT, 0)).isEqualTo(42);
        b.free();
        assertThat(b.isLive()).isFalse();
    }

    @Test
    void wrongHeapFreeIsRefusedAndTheBlockStaysLiveAndIntact() {
        Block b = mi.allocate(64, paths);
        b.segment().set(ValueLayout.JAVA_LONG, 0, 0x1234_5678L);
        assertThatThrownBy(() -> libc.free(b))
                .isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("block of 'mimalloc' freed through 'libc'")
                .hasMessageContaining("64 B block tagged 'heap-test-paths'")
                .satisfies(e -> {
                    WrongHeapException w = (WrongHeapException) e;
                    assertThat(w.ownerHeap()).isEqualTo("mimalloc");
                    assertThat(w.callerHeap()).isEqualTo("libc");
                    assertThat(w.tag()).isSameAs(paths);
                    assertThat(w.size()).isEqualTo(64);
                });
        assertThat(b.isLive()).isTrue();
        assertThat(b.segment().get(ValueLayout.JAVA_LONG, 0)).isEqualTo(0x1234_5678L);
        mi.free(b);
    }

    @Test
    void doubleFreeIsCaughtAndNeverReachesTheAllocator() {
        Block b = libc.allocate(32, paths);
        long frees = libc.stats().tag(paths).frees();
        b.free();
        assertThatThrownBy(b::free).isInstanceOf(DoubleFreeException.class).hasMessageContaining("already freed");
        assertThatThrownBy(() -> libc.free(b)).isInstanceOf(DoubleFreeException.class);
        assertThat(libc.stats().tag(paths).frees()).isEqualTo(frees + 1);
    }

    @Test
    void segmentsOfAFreedBlockThrowAndCustodysOwnMethodsSayUseAfterFree() {
        Block b = libc.allocate(16, paths);
        MemorySegment seg = b.segment();
        b.free();
        assertThatThrownBy(() -> seg.get(ValueLayout.JAVA_INT, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(b::segment).isInstanceOf(UseAfterFreeException.class)
                .satisfies(e -> assertThat(((UseAfterFreeException) e).death()).isEqualTo("freed"));
        assertThatThrownBy(b::open).isInstanceOf(UseAfterFreeException.class);
    }

    @Test
    void unknownAddressesNeverReachFree() {
        Block other = libc.allocate(64, paths);
        long interior = other.address() + 8;
        assertThatThrownBy(() -> libc.free(MemorySegment.ofAddress(interior)))
                .isInstanceOf(UnknownBlockException.class)
                .hasMessageContaining("0x" + Long.toHexString(interior))
                .hasMessageContaining("NOT passed to the native allocator");
        assertThat(other.isLive()).isTrue();
        libc.free(MemorySegment.ofAddress(other.address()));
        assertThat(other.isLive()).isFalse();
        assertThatThrownBy(() -> libc.free(MemorySegment.ofAddress(other.address())))
                .isInstanceOf(UnknownBlockException.class);
    }

    @Test
    void rawFreeOfAnotherOwnersAddressIsWrongHeap() {
        Block b = mi.allocate(64, paths);
        assertThatThrownBy(() -> libc.free(MemorySegment.ofAddress(b.address()))).isInstanceOf(WrongHeapException.class);
        assertThat(b.isLive()).isTrue();
        b.free();
    }

    @Test
    void identityIsTheFreeFunction() {
        assertThat(Heaps.libc()).isSameAs(libc);
        Heap glibc = Heaps.library("glibc", "libc.so.6", "malloc", "free");
        assertThat(glibc).isEqualTo(libc).isNotSameAs(libc);
        assertThat(Allocators.mimalloc()).isSameAs(mi).isNotEqualTo(libc);
        assertThat(Allocators.sqlite()).isEqualTo(Allocators.sqliteInt());
        Block b = Allocators.sqliteInt().allocate(10, paths);
        Allocators.sqlite().free(b); // same free function: correct, and the int heap's books follow
        assertThat(Allocators.sqliteInt().stats().tag(paths).liveBlocks()).isZero();
        Block g = glibc.allocate(10, paths);
        libc.free(g);
        assertThat(glibc.stats().tag(paths).frees()).isEqualTo(1);
    }

    @Test
    void booksAreExactPerTagAndInAll() {
        Heap h = libc.child("books", Long.MAX_VALUE);
        Tag a = Tag.of("books-a");
        Tag c = Tag.of("books-c");
        Block b1 = h.allocate(100, a);
        Block b2 = h.allocate(50, a);
        Block b3 = h.allocate(7, c);
        HeapStats s = h.stats();
        assertThat(s.tag(a)).extracting(Figures::liveBytes, Figures::liveBlocks, Figures::peakBytes)
                .containsExactly(150L, 2L, 150L);
        assertThat(s.tag(c).liveBytes()).isEqualTo(7);
        assertThat(s.total().liveBytes()).isEqualTo(157);
        assertThat(s.total().liveBlocks()).isEqualTo(3);
        b1.free();
        b3.free();
        s = h.stats();
        assertThat(s.tag(a)).extracting(Figures::liveBytes, Figures::liveBlocks, Figures::peakBytes,
                Figures::allocations, Figures::frees).containsExactly(50L, 1L, 150L, 2L, 1L);
        assertThat(s.total().peakBytes()).isEqualTo(157);
        b2.free();
        h.close();
        assertThatThrownBy(() -> h.allocate(1, a)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void childLimitsFailCleanlyAndParentBooksFollow() {
        Heap parent = libc.child("parent", 1000);
        Heap child = parent.child("child", 300);
        Tag t = Tag.of("limit-test");
        Block b = child.allocate(200, t);
        assertThat(parent.stats().tag(t).liveBytes()).isEqualTo(200);
        assertThatThrownBy(() -> child.allocate(101, t))
                .isInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("'child' would pass its limit of 300 B")
                .satisfies(e -> assertThat(((AllocationFailedException) e).limit()).isEqualTo(300));
        assertThat(child.stats().total().liveBytes()).isEqualTo(200);
        assertThat(parent.stats().total().liveBytes()).isEqualTo(200);
        Block p = parent.allocate(750, t);
        assertThatThrownBy(() -> child.allocate(100, t)).isInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("'parent' would pass its limit of 1000 B");
        assertThat(child.stats().total().liveBytes()).isEqualTo(200);
        // Same free function, same owner: the parent may free the child's block; the child's books follow.
        parent.free(b);
        assertThat(child.stats().total().liveBytes()).isZero();
        p.free();
        parent.close();
    }

    @Test
    void nullFromTheAllocatorAndAbsurdSizesFailWithBooksUnchanged() {
        Tag t = Tag.of("absurd");
        Heap sqlite = Allocators.sqlite();
        Figures before = sqlite.stats().tag(t);
        long old = Natives.sqliteHardHeapLimit(1 << 20); // SQLite's own allocator now returns NULL past 1 MiB
        try {
            assertThatThrownBy(() -> sqlite.allocate(2 << 20, t))
                    .isInstanceOf(AllocationFailedException.class)
                    .hasMessageContaining("returned NULL")
                    .hasMessageContaining("books are unchanged");
        } finally {
            Natives.sqliteHardHeapLimit(old);
        }
        assertThat(sqlite.stats().tag(t)).isEqualTo(before);
        before = mi.stats().tag(t);
        assertThatThrownBy(() -> mi.allocate(Long.MAX_VALUE, t)).isInstanceOf(AllocationFailedException.class)
                .hasMessageContaining("beyond what the allocator can express");
        assertThatThrownBy(() -> Allocators.sqliteInt().allocate(1L << 31, t))
                .isInstanceOf(AllocationFailedException.class).hasMessageContaining("beyond what the allocator");
        assertThatThrownBy(() -> mi.allocate(-1, t)).isInstanceOf(IllegalArgumentException.class);
        assertThat(mi.stats().tag(t)).isEqualTo(before);
    }

    @Test
    void allocateZeroedZeroesAndReallocateKeepsContentsAndTag() {
        Tag t = Tag.of("realloc");
        for (Heap h : new Heap[] {libc, Allocators.sqliteInt(), mi}) {
            Block z = h.allocateZeroed(256, t);
            for (long i = 0; i < 256; i++) {
                assertThat(z.segment().get(ValueLayout.JAVA_BYTE, i)).isZero();
            }
            z.segment().set(ValueLayout.JAVA_INT, 252, 77);
            MemorySegment old = z.segment();
            Block grown = h.reallocate(z, 1 << 16);
            assertThat(grown.tag()).isSameAs(t);
            assertThat(grown.byteSize()).isEqualTo(1 << 16);
            assertThat(grown.segment().get(ValueLayout.JAVA_INT, 252)).isEqualTo(77);
            assertThat(z.isLive()).isFalse();
            // the seed's bug: a pointer into a growing array kept across a reallocation
            assertThatThrownBy(() -> old.get(ValueLayout.JAVA_INT, 252)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(z::segment).isInstanceOf(UseAfterFreeException.class)
                    .hasMessageContaining("reallocated");
            assertThatThrownBy(z::free).isInstanceOf(UseAfterFreeException.class);
            Block shrunk = h.reallocate(grown, 8);
            assertThat(shrunk.byteSize()).isEqualTo(8);
            shrunk.free();
            assertThat(h.stats().tag(t).liveBytes()).isZero();
        }
    }

    @Test
    void alignmentIsHonouredAndOverAllocatedBlocksCannotBeHandedOff() {
        Tag t = Tag.of("aligned");
        Block a = libc.allocate(100, 4096, t);
        assertThat(a.address() % 4096).isZero();
        a.free();
        Block m = mi.allocate(100, 4096, t); // mimalloc heap has no aligned entry point here: over-allocated
        assertThat(m.address() % 4096).isZero();
        assertThatThrownBy(() -> m.handOff(mi)).isInstanceOf(IllegalHandOffException.class)
                .hasMessageContaining("custody's own");
        assertThat(m.isLive()).isTrue();
        m.free();
        assertThatThrownBy(() -> libc.allocate(8, 3, t)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builderShapesAnAlignedAllocator() {
        Heap aligned = Heaps.library("mimalloc-aligned", "libmimalloc.so.2")
                .allocate("mi_malloc")
                .alignedAllocate("mi_aligned_alloc") // void* mi_aligned_alloc(size_t alignment, size_t size)
                .reallocate("mi_realloc")
                .usableSize("mi_usable_size")
                .free("mi_free")
                .build();
        assertThat(aligned).isEqualTo(mi);
        Tag t = Tag.of("mi-aligned");
        Block b = aligned.allocate(100, 1 << 16, t);
        assertThat(b.address() % (1 << 16)).isZero();
        b.segment().set(ValueLayout.JAVA_LONG, 0, 5L);
        long handed = b.handOff(mi); // the allocator's own aligned block: native code may free it
        Allocators.miFree(handed);
        assertThat(aligned.stats().tag(t).handedOffBlocks()).isEqualTo(1);
        assertThatThrownBy(() -> Heaps.library("broken", "libmimalloc.so.2").allocate("mi_malloc").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a free function is required");
        assertThatThrownBy(() -> Heaps.library("missing", "libmimalloc.so.2").allocate("no_such_malloc")
                .free("mi_free").build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("symbol 'no_such_malloc' not found in libmimalloc.so.2");
        assertThatThrownBy(() -> Heaps.library("absent", "libnot-installed.so.9", "m", "f"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot load library");
    }

    @Test
    void handOffIsCheckedAndKillsTheBlockForJava() {
        Tag t = Tag.of("handoff");
        Block wrong = libc.allocate(64, t);
        assertThatThrownBy(() -> wrong.handOff(mi)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("block of 'libc' handed off to 'mimalloc'");
        assertThat(wrong.isLive()).isTrue();
        wrong.free();

        Block b = mi.allocate(64, t);
        MemorySegment seg = b.segment();
        long addr = b.handOff(mi);
        assertThat(addr).isEqualTo(b.address());
        assertThatThrownBy(() -> seg.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(b::free).isInstanceOf(UseAfterFreeException.class).hasMessageContaining("handed off");
        assertThatThrownBy(b::segment).isInstanceOf(UseAfterFreeException.class);
        Figures f = mi.stats().tag(t);
        assertThat(f.liveBytes()).isZero();
        assertThat(f.handedOffBlocks()).isEqualTo(1);
        assertThat(f.handedOffBytes()).isEqualTo(64);
        // native code frees it, as the hand-off promised
        Allocators.miFree(addr);
    }

    @Test
    void adoptTakesCustodyOfForeignMemory() throws Throwable {
        Tag strings = Tag.of("strings");
        long dup = Natives.strdup("hello custody");
        Block s = libc.adopt(MemorySegment.ofAddress(dup), 14, strings);
        assertThat(s.segment().getString(0)).isEqualTo("hello custody");
        assertThat(libc.stats().tag(strings).liveBlocks()).isEqualTo(1);
        assertThatThrownBy(() -> libc.adopt(MemorySegment.ofAddress(dup), 14, strings))
                .isInstanceOf(AlreadyInCustodyException.class).hasMessageContaining("already holds that address");
        assertThatThrownBy(() -> mi.free(s)).isInstanceOf(WrongHeapException.class);
        s.free();
        assertInteriorAdoptionsRefused();
        assertThat(libc.stats().tag(strings).liveBlocks()).isZero();

        Heap sqlite = Allocators.sqlite();
        long printed = Natives.sqliteMprintf("%d rows", 42);
        Block p = sqlite.adopt(MemorySegment.ofAddress(printed), 8, strings);
        assertThat(p.segment().getString(0)).isEqualTo("42 rows");
        assertThatThrownBy(() -> libc.free(p)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("block of 'sqlite' freed through 'libc'");
        p.free();
        assertThatThrownBy(() -> libc.adopt(MemorySegment.NULL, 1, strings)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeReportsLeaksAndFreesNothing() {
        Heap h = libc.child("leaky", Long.MAX_VALUE);
        h.setTracking(Tracking.FULL, 1);
        Tag t = Tag.of("leak-report");
        Block leaked = h.allocate(123, t);
        Block ignored = h.allocate(5, t);
        ignored.markNotALeak();
        assertThatThrownBy(h::close).isInstanceOf(LeakException.class)
                .hasMessageContaining("1 live block, 123 B")
                .hasMessageContaining("leak-report @ dev.custody.HeapTest.closeReportsLeaksAndFreesNothing")
                .satisfies(e -> {
                    LeakException l = (LeakException) e;
                    assertThat(l.leaks()).singleElement().satisfies(x -> {
                        assertThat(x.size()).isEqualTo(123);
                        assertThat(x.site()).isNotNull();
                    });
                });
        assertThat(leaked.isLive()).isTrue();
        leaked.segment().set(ValueLayout.JAVA_BYTE, 122, (byte) 1);
        assertThat(h.freeLeaked()).isEqualTo(2);
        h.close();
    }

    @Test
    void trackedExceptionsCarryTheSites() {
        Heap h = mi.child("tracked", Long.MAX_VALUE);
        h.setTracking(Tracking.FULL, 1);
        Block b = h.allocate(8, Tag.of("sites"));
        b.free();
        assertThatThrownBy(b::free).isInstanceOf(DoubleFreeException.class)
                .hasMessageContaining("first free: free on thread")
                .hasMessageContaining("allocated: allocate on thread")
                .satisfies(e -> assertThat(((CustodyException) e).sites())
                        .extracting(Site::event).containsExactly("allocate", "free"));
        Block w = h.allocate(8, Tag.of("sites"));
        assertThatThrownBy(() -> libc.free(w)).isInstanceOf(WrongHeapException.class)
                .satisfies(e -> assertThat(((CustodyException) e).sites().getFirst().caller())
                        .contains("trackedExceptionsCarryTheSites"));
        w.free();
        h.close();
    }

    @Test
    void tagScopesSetTheDefaultTagAndNest() {
        Tag outer = Tag.of("outer");
        Tag inner = Tag.of("inner");
        assertThat(Tags.current()).isSameAs(Tag.UNTAGGED);
        try (var o = Tags.push(outer)) {
            Block a = libc.allocate(1);
            try (var i = Tags.push(inner)) {
                Block b = libc.allocate(1);
                assertThat(b.tag()).isSameAs(inner);
                assertThatThrownBy(o::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("out of order");
                b.free();
            }
            assertThat(a.tag()).isSameAs(outer);
            Block moved = libc.reallocate(a, 64);
            assertThat(moved.tag()).isSameAs(outer);
            moved.free();
        }
        assertThat(Tags.current()).isSameAs(Tag.UNTAGGED);
    }

    /**
     * A range that starts inside a live block is custody's own memory: the old code adopted it,
     * and the adopted block's free then aborted the process in glibc (free(): invalid pointer).
     * Small and large blocks, allocated and adopted ones, at aligned and odd addresses.
     */
    private void assertInteriorAdoptionsRefused() throws Throwable {
        Tag t = Tag.of("interior");
        List<Block> holders = new java.util.ArrayList<>();
        for (long size : new long[] {1, 24, 64, 65, 1000, 4096, 200_000, 3 << 20}) {
            holders.add(libc.allocate(size, t));
            holders.add(mi.allocate(size, t));
        }
        long dup = Natives.strdup("an adopted string at an odd offset");
        // adopted at an odd address, with a releaser that frees what strdup returned
        Block odd = libc.adopt(MemorySegment.ofAddress(dup + 3), 32, t,
                address -> {
                    Natives.LIBC_FREE.invokeExact(address - 3);
                });
        holders.add(odd);
        for (Block h : holders) {
            for (long off : new long[] {1, 7, 8, h.byteSize() / 2, h.byteSize() - 1}) {
                if (off <= 0 || off >= h.byteSize()) {
                    continue;
                }
                long inside = h.address() + off;
                assertThatThrownBy(() -> libc.adopt(MemorySegment.ofAddress(inside), 1, t)).as("%s + %d", h, off)
                        .isInstanceOfSatisfying(AlreadyInCustodyException.class,
                                e -> assertThat(e.holderAddress()).isEqualTo(h.address()));
            }
        }
        assertThat(libc.stats().tag(t).liveBlocks() + mi.stats().tag(t).liveBlocks()).as("nothing adopted")
                .isEqualTo(holders.size());
        assertThatThrownBy(() -> odd.handOff(libc)).as("only its releaser can free it")
                .isInstanceOf(IllegalHandOffException.class);
        holders.forEach(Block::free);
        assertThat(odd.isLive()).isFalse();
        // the range is custody's no longer: it may be adopted again (and is freed again through libc)
        Block again = libc.adopt(MemorySegment.ofAddress(Natives.strdup("x")), 2, t);
        again.free();
    }

    @Test
    void snapshotsDiffTheGlobalBooks() {
        Tag t = Tag.of("snap");
        Snapshot before = Custody.snapshot();
        Block b = mi.allocate(1000, t);
        Snapshot.Diff grown = Custody.snapshot().diff(before);
        assertThat(grown.byHeap().get("mimalloc").liveBytes()).isEqualTo(1000);
        assertThat(grown.noGrowth()).isFalse();
        b.free();
        assertThat(Custody.snapshot().diff(before).noGrowth()).isTrue();
        assertThat(Custody.snapshot().toString()).contains("mimalloc");
    }

    @Test
    void asArenaGivesJextractStyleCodeCustodyBlocks() {
        Tag t = Tag.of("arena");
        MemorySegment seg;
        try (Tags.Scope s = Tags.push(t); var arena = libc.asArena()) {
            seg = arena.allocate(ValueLayout.JAVA_LONG, 4);
            seg.setAtIndex(ValueLayout.JAVA_LONG, 3, 9L);
            assertThat(seg.getAtIndex(ValueLayout.JAVA_LONG, 0)).isZero();
            assertThat(libc.stats().tag(t).liveBlocks()).isEqualTo(1);
        }
        assertThat(libc.stats().tag(t).liveBlocks()).isZero();
        MemorySegment closed = seg;
        assertThatThrownBy(() -> closed.get(ValueLayout.JAVA_LONG, 0)).isInstanceOf(IllegalStateException.class);
    }
}
