package dev.custody;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Random sequences of use and misuse against three real allocators (glibc, mimalloc, SQLite).
 * Every misuse must get its specific exception, the books must equal a model after every step,
 * nothing may crash, and every heap closes without leaks. glibc's own mallinfo2 witnesses the same
 * sequences in {@link MallinfoWitnessTest}, in a quiet child JVM.
 */
class HeapPropertiesTest {
    enum Kind { ALLOC, ALLOC_SHARED, FREE, FREE_WRONG_HEAP, DOUBLE_FREE, FREE_UNKNOWN, FREE_RAW, ADOPT, HAND_OFF,
        HAND_OFF_WRONG, RETAIN, RELEASE, REALLOC, USE_AFTER_FREE, REALLOC_OVER_LIMIT, FREE_COUNTED, REALLOC_COUNTED,
        ABSURD, FREE_FAILING, ADOPT_INTERIOR }

    /** The limit of each property heap: reached now and then by a sequence, so limits are exercised. */
    static final long LIMIT = 1 << 20;

    record Op(Kind kind, int a, int b) {
    }

    /** A block as the model sees it. */
    static final class M {
        final Block block;
        final int heap;
        final Tag tag;
        long size;
        int refs;

        M(Block block, int heap, Tag tag, long size, int refs) {
            this.block = block;
            this.heap = heap;
            this.tag = tag;
            this.size = size;
            this.refs = refs;
        }
    }

    /** One failing allocator per thread, so that two threads' injected failures do not meet. */
    private static final ThreadLocal<FailingAllocator> FAILING = ThreadLocal.withInitial(FailingAllocator::new);

    private static final Tag[] TAGS = {Tag.of("prop-a"), Tag.of("prop-b"), Tag.of("prop-c")};

    /** The same distribution as {@link #ops()}, from a seed, for the witness's child JVM. */
    static List<Op> randomOps(Random r) {
        List<Op> ops = new ArrayList<>();
        for (int j = 1 + r.nextInt(60); j > 0; j--) {
            ops.add(new Op(Kind.values()[r.nextInt(Kind.values().length)], r.nextInt(1 << 16), r.nextInt(1 << 16)));
        }
        return ops;
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 1 << 16)).as(Op::new).list().ofMinSize(1).ofMaxSize(60);
    }

    @Property(tries = 60)
    void misuseGetsItsExceptionAndTheBooksEqualTheModel(@ForAll("ops") List<Op> ops) throws Throwable {
        Heap[] heaps = childHeaps("prop-", LIMIT);
        List<M> live = new ArrayList<>();
        List<M> dead = new ArrayList<>();
        Map<String, long[]> model = new HashMap<>();
        boolean passed = false;
        try {
            for (Op op : ops) {
                step(op, heaps, LIMIT, live, dead, model);
                assertBooks(heaps, model, op);
            }
            passed = true;
        } finally {
            freeAll(live);
            for (Heap h : heaps) {
                if (passed) {
                    h.close(); // no leaks: every live block was just freed
                } else {
                    h.freeLeaked();
                }
            }
        }
    }

    private static void assertBooks(Heap[] heaps, Map<String, long[]> model, Object after) {
        for (int h = 0; h < 3; h++) {
            for (Tag t : TAGS) {
                long[] m = model.getOrDefault(h + "/" + t, new long[2]);
                Figures f = heaps[h].stats().tag(t);
                assertThat(new long[] {f.liveBytes(), f.liveBlocks()}).as("books of %s/%s after %s",
                        heaps[h].name(), t, after).containsExactly(m);
            }
        }
    }

    private static void freeAll(List<M> live) {
        for (M m : live) {
            if (m.block instanceof SharedBlock s) {
                while (!s.release()) {
                    // drain the count
                }
            } else {
                m.block.free();
            }
        }
    }

    private static Heap[] childHeaps(String prefix, long limit) {
        Heap[] roots = {Heaps.libc(), Allocators.mimalloc(), Allocators.sqlite()};
        Heap[] heaps = new Heap[3];
        for (int i = 0; i < 3; i++) {
            heaps[i] = roots[i].child(prefix + roots[i].name(), limit);
        }
        return heaps;
    }

    /**
     * The same random use and misuse on two threads at once, on the same heaps: each thread keeps
     * its own model, and at the end the books equal the sum of the two.
     */
    @Property(tries = 30)
    void twoThreadsMisusingTheSameHeapsKeepExactBooks(@ForAll("ops") List<Op> first, @ForAll("ops") List<Op> second)
            throws Exception {
        Heap[] heaps = childHeaps("prop2-", Long.MAX_VALUE);
        List<List<M>> lives = List.of(new ArrayList<>(), new ArrayList<>());
        List<Map<String, long[]>> models = List.of(new HashMap<>(), new HashMap<>());
        java.util.concurrent.ExecutorService ex = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> fs = new ArrayList<>();
            List<List<Op>> seqs = List.of(first, second);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            for (int t = 0; t < 2; t++) {
                int id = t;
                fs.add(ex.submit(() -> {
                    start.await();
                    List<M> dead = new ArrayList<>();
                    for (Op op : seqs.get(id)) {
                        try {
                            step(op, heaps, Long.MAX_VALUE, lives.get(id), dead, models.get(id));
                        } catch (Exception | Error e) {
                            throw e;
                        } catch (Throwable other) {
                            throw new IllegalStateException(other);
                        }
                    }
                    for (M m : lives.get(id)) {
                        m.block.detach(); // hand the survivors to the checking thread
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : fs) {
                f.get();
            }
            Map<String, long[]> sum = new HashMap<>();
            for (Map<String, long[]> m : models) {
                m.forEach((k, v) -> {
                    long[] s = sum.computeIfAbsent(k, x -> new long[2]);
                    s[0] += v[0];
                    s[1] += v[1];
                });
            }
            assertBooks(heaps, sum, "both threads");
        } finally {
            ex.shutdownNow();
            lives.forEach(HeapPropertiesTest::freeAll);
        }
        for (Heap h : heaps) {
            h.close();
        }
    }

    private static long liveBytes(Map<String, long[]> model, int heap) {
        long n = 0;
        for (Tag t : TAGS) {
            long[] m = model.get(heap + "/" + t);
            n += m == null ? 0 : m[0];
        }
        return n;
    }

    private static void book(Map<String, long[]> model, int heap, Tag tag, long bytes, int blocks) {
        long[] m = model.computeIfAbsent(heap + "/" + tag, k -> new long[2]);
        m[0] += bytes;
        m[1] += blocks;
    }

    /** One step; {@code limit} is every heap's limit, and the model's live bytes predict its refusals. */
    private static void step(Op op, Heap[] heaps, long limit, List<M> live, List<M> dead, Map<String, long[]> model)
            throws Throwable {
        int h = op.a() % 3;
        Tag tag = TAGS[op.b() % 3];
        long size = 1 + op.b(); // up to 64 KiB, so that any leaked path would stand far above the witness's noise
        M target = live.isEmpty() ? null : live.get(op.a() % live.size());
        switch (op.kind()) {
            case ALLOC -> {
                if (liveBytes(model, h) + size > limit) {
                    assertThatThrownBy(() -> heaps[h].allocate(size, tag)).isInstanceOf(AllocationFailedException.class)
                            .hasMessageContaining("limit");
                    return;
                }
                Block b = heaps[h].allocate(size, tag);
                b.segment().set(ValueLayout.JAVA_BYTE, size - 1, (byte) 7);
                live.add(new M(b, h, tag, size, 0));
                book(model, h, tag, size, 1);
            }
            case ALLOC_SHARED -> {
                if (liveBytes(model, h) + size > limit) {
                    return;
                }
                SharedBlock s = heaps[h].allocateShared(size, tag);
                live.add(new M(s, h, tag, size, 1));
                book(model, h, tag, size, 1);
            }
            case FREE -> {
                if (target == null || target.refs > 1) {
                    return;
                }
                target.block.free();
                live.remove(target);
                dead.add(target);
                book(model, target.heap, target.tag, -target.size, -1);
            }
            case FREE_WRONG_HEAP -> {
                if (target == null) {
                    return;
                }
                Heap wrong = heaps[(target.heap + 1 + op.b() % 2) % 3];
                assertThatThrownBy(() -> wrong.free(target.block)).isInstanceOf(WrongHeapException.class)
                        .hasMessageContaining("freed through '" + wrong.name() + "'");
                assertThat(target.block.isLive()).isTrue();
            }
            case DOUBLE_FREE -> {
                if (dead.isEmpty()) {
                    return;
                }
                M d = dead.get(op.a() % dead.size());
                Throwable t = catchThrowable(d.block::free);
                assertThat(t).isInstanceOfAny(DoubleFreeException.class, UseAfterFreeException.class);
            }
            case FREE_UNKNOWN -> {
                long bogus = target == null ? 0x10_0000L + op.b() * 16L : target.block.address() + 1 + op.b() % 7;
                assertThatThrownBy(() -> heaps[h].free(MemorySegment.ofAddress(bogus)))
                        .isInstanceOf(UnknownBlockException.class);
            }
            case FREE_RAW -> {
                if (target == null || target.refs > 0) {
                    return;
                }
                Heap owner = heaps[target.heap];
                owner.free(MemorySegment.ofAddress(target.block.address()));
                assertThat(target.block.isLive()).isFalse();
                live.remove(target);
                dead.add(target);
                book(model, target.heap, target.tag, -target.size, -1);
            }
            case ADOPT -> {
                if (h == 1) {
                    return; // mimalloc has no foreign allocator here to adopt from
                }
                String text = h == 0 ? "adopted" : "adopted " + op.b();
                long addr = h == 0 ? Natives.strdup(text) : Natives.sqliteMprintf("adopted %d", op.b());
                long len = text.length() + 1;
                if (liveBytes(model, h) + len > limit) {
                    nativeFree(h == 0 ? 0 : 2, addr);
                    return;
                }
                Block b = heaps[h].adopt(MemorySegment.ofAddress(addr), len, tag);
                assertThat(b.segment().getString(0)).isEqualTo(text);
                live.add(new M(b, h, tag, len, 0));
                book(model, h, tag, len, 1);
            }
            case HAND_OFF -> {
                if (target == null || target.refs > 0) {
                    return;
                }
                long addr = target.block.handOff(heaps[target.heap]);
                live.remove(target);
                dead.add(target);
                book(model, target.heap, target.tag, -target.size, -1);
                nativeFree(target.heap, addr); // the native side frees it, as promised at the hand-off
            }
            case HAND_OFF_WRONG -> {
                if (target == null) {
                    return;
                }
                Heap wrong = heaps[(target.heap + 1) % 3];
                assertThatThrownBy(() -> target.block.handOff(wrong)).isInstanceOfAny(WrongHeapException.class);
                assertThat(target.block.isLive()).isTrue();
            }
            case RETAIN -> {
                if (target == null || target.refs == 0) {
                    return;
                }
                ((SharedBlock) target.block).retain();
                target.refs++;
            }
            case RELEASE -> {
                if (target == null || target.refs == 0) {
                    return;
                }
                boolean freed = ((SharedBlock) target.block).release();
                target.refs--;
                assertThat(freed).isEqualTo(target.refs == 0);
                if (freed) {
                    live.remove(target);
                    dead.add(target);
                    book(model, target.heap, target.tag, -target.size, -1);
                    assertThatThrownBy(((SharedBlock) target.block)::retain).isInstanceOf(UseAfterFreeException.class);
                }
            }
            case REALLOC -> {
                if (target == null || target.refs > 0 || liveBytes(model, target.heap) - target.size + size > limit) {
                    return;
                }
                MemorySegment old = target.block.segment();
                byte first = old.get(ValueLayout.JAVA_BYTE, 0);
                Block moved = heaps[target.heap].reallocate(target.block, size);
                assertThat(moved.segment().get(ValueLayout.JAVA_BYTE, 0)).isEqualTo(first);
                assertThatThrownBy(() -> old.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
                live.remove(target);
                dead.add(target);
                book(model, target.heap, target.tag, size - target.size, 0);
                live.add(new M(moved, target.heap, target.tag, size, 0));
            }
            case REALLOC_OVER_LIMIT -> {
                if (target == null || target.refs > 0 || limit == Long.MAX_VALUE) {
                    return;
                }
                // just past the limit: only the growth counts, so this is the smallest refused size
                long over = limit - liveBytes(model, target.heap) + target.size + 1;
                MemorySegment seg = target.block.segment();
                byte last = seg.get(ValueLayout.JAVA_BYTE, target.size - 1);
                assertThatThrownBy(() -> heaps[target.heap].reallocate(target.block, over))
                        .isInstanceOf(AllocationFailedException.class);
                assertThat(seg.get(ValueLayout.JAVA_BYTE, target.size - 1)).as("the old segment, unchanged")
                        .isEqualTo(last);
                assertThat(target.block.isLive()).isTrue();
                if (over - 1 <= limit && over - 1 > target.size) { // the largest size that fits does fit
                    Block moved = heaps[target.heap].reallocate(target.block, over - 1);
                    live.remove(target);
                    dead.add(target);
                    book(model, target.heap, target.tag, over - 1 - target.size, 0);
                    live.add(new M(moved, target.heap, target.tag, over - 1, 0));
                }
            }
            case FREE_COUNTED -> {
                if (target == null || target.refs < 2) {
                    return;
                }
                assertThatThrownBy(target.block::free).isInstanceOf(BlockInUseException.class)
                        .hasMessageContaining("reference count is " + target.refs);
                assertThat(target.block.isLive()).isTrue();
            }
            case REALLOC_COUNTED -> {
                if (target == null || target.refs == 0) {
                    return;
                }
                assertThatThrownBy(() -> heaps[target.heap].reallocate(target.block, size))
                        .isInstanceOf(BlockInUseException.class);
                assertThat(((SharedBlock) target.block).refCount()).isEqualTo(target.refs);
            }
            case ABSURD -> {
                for (long absurd : new long[] {Long.MAX_VALUE, (1L << 46) + 1}) {
                    assertThatThrownBy(() -> heaps[h].allocate(absurd, tag))
                            .isInstanceOf(AllocationFailedException.class);
                    if (target != null && target.refs == 0) {
                        assertThatThrownBy(() -> heaps[target.heap].reallocate(target.block, absurd))
                                .isInstanceOf(AllocationFailedException.class);
                        assertThat(target.block.isLive()).isTrue();
                    }
                }
            }
            case FREE_FAILING -> {
                FailingAllocator a = FAILING.get();
                Heap failing = Heaps.of("prop-failing", a);
                Block b = failing.allocate(size, tag);
                a.failing = true;
                assertThatThrownBy(b::free).isInstanceOf(FreeFailedException.class);
                assertThat(b.isLive()).isTrue();
                assertThat(failing.stats().tag(tag).liveBytes()).isEqualTo(size);
                a.failing = false;
                b.free();
                assertThat(failing.stats().tag(tag).liveBytes()).isZero();
            }
            case ADOPT_INTERIOR -> {
                if (target == null || target.size < 2) {
                    return;
                }
                long inside = target.block.address() + 1 + op.b() % (target.size - 1);
                assertThatThrownBy(() -> heaps[h].adopt(MemorySegment.ofAddress(inside), 1, tag))
                        .isInstanceOf(AlreadyInCustodyException.class);
                assertThatThrownBy(() -> heaps[h].adopt(MemorySegment.ofAddress(target.block.address()), 8, tag))
                        .isInstanceOf(AlreadyInCustodyException.class);
            }
            case USE_AFTER_FREE -> {
                if (dead.isEmpty()) {
                    return;
                }
                M d = dead.get(op.a() % dead.size());
                assertThatThrownBy(d.block::segment).isInstanceOf(UseAfterFreeException.class);
            }
        }
    }

    // ---- the failure paths on every heap kind ----------------------------------------------

    /** The heap kinds custody makes, each over libc. */
    enum HeapKind { CHILD, REGION, FLAT_REGION, SLAB, POISONING, GUARDED }

    enum FailOp { ALLOC, ALLOC_SHARED, FREE, REALLOC, REALLOC_OVER_LIMIT, ALLOC_ABSURD, REALLOC_ABSURD, FREE_COUNTED,
        REALLOC_COUNTED, FREE_FAILING }

    record Step(FailOp op, int a, int b) {
    }

    /** The limit of the limited kinds (a child, and the base of the poisoning heap). */
    private static final long KIND_LIMIT = 64 * 1024;
    private static final long SLAB_BLOCK = 4096;

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.of(FailOp.class), Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 1 << 16)).as(Step::new).list().ofMinSize(1).ofMaxSize(40);
    }

    /**
     * Failed reallocations under limits, failing frees, counted blocks and absurd sizes, on every
     * heap kind (and frames): each failure gets its exception and leaves the block, its segment
     * and the books as they were; the books equal a model after every step, and the heap closes
     * without leaks.
     */
    @Property(tries = 60)
    void failuresLeaveThingsAsTheyWereOnEveryHeapKind(@ForAll HeapKind kind, @ForAll("steps") List<Step> steps)
            throws Throwable {
        FailingAllocator failing = FAILING.get();
        failing.failing = false;
        Heap base = Heaps.of("kinds-failing", failing).child("kinds-base", KIND_LIMIT);
        Heap heap = switch (kind) {
            case CHILD -> base.child("kinds-child", Long.MAX_VALUE);
            case REGION -> Heaps.region(Heaps.libc(), 4096);
            case FLAT_REGION -> Heaps.flatRegion(4 << 20);
            case SLAB -> Heaps.slab(Heaps.libc(), SLAB_BLOCK, 8);
            case POISONING -> dev.custody.debug.DebugHeaps.poisoning(base, dev.custody.debug.DebugOptions.defaults());
            case GUARDED -> dev.custody.debug.DebugHeaps.guarded(Heaps.libc(),
                    dev.custody.debug.DebugOptions.defaults());
        };
        boolean limited = kind == HeapKind.CHILD || kind == HeapKind.POISONING;
        boolean counted = kind != HeapKind.REGION && kind != HeapKind.FLAT_REGION;
        List<M> live = new ArrayList<>();
        long[] books = new long[2]; // live bytes, live blocks
        try {
            for (Step st : steps) {
                kindStep(st, kind, heap, limited, counted, failing, live, books);
                Figures f = heap.stats().total();
                assertThat(new long[] {f.liveBytes(), f.liveBlocks()}).as("books of %s after %s", kind, st)
                        .containsExactly(books);
            }
        } finally {
            failing.failing = false;
            freeAll(live);
        }
        heap.close();
        base.close();
    }

    private static void kindStep(Step st, HeapKind kind, Heap heap, boolean limited, boolean counted,
                                 FailingAllocator failing, List<M> live, long[] books) {
        Tag tag = TAGS[st.b() % 3];
        long size = 1 + st.b() % SLAB_BLOCK;
        M target = live.isEmpty() ? null : live.get(st.a() % live.size());
        boolean fits = !limited || books[0] + size <= KIND_LIMIT;
        switch (st.op()) {
            case ALLOC -> {
                if (!fits) {
                    assertThatThrownBy(() -> heap.allocate(size, tag)).isInstanceOf(AllocationFailedException.class);
                    return;
                }
                Block b = heap.allocate(size, tag);
                b.segment().set(ValueLayout.JAVA_BYTE, size - 1, (byte) size);
                live.add(new M(b, 0, tag, size, 0));
                books[0] += size;
                books[1]++;
            }
            case ALLOC_SHARED -> {
                if (!counted) {
                    assertThatThrownBy(() -> heap.allocateShared(size, tag))
                            .isInstanceOf(UnsupportedOperationException.class);
                    return;
                }
                if (!fits) {
                    return;
                }
                SharedBlock s = heap.allocateShared(size, tag);
                s.retain();
                live.add(new M(s, 0, tag, size, 2));
                books[0] += size;
                books[1]++;
            }
            case FREE -> {
                if (target == null || target.refs > 1) {
                    return;
                }
                target.block.free();
                live.remove(target);
                books[0] -= target.size;
                books[1]--;
            }
            case REALLOC -> {
                if (target == null || target.refs > 0 || limited && books[0] - target.size + size > KIND_LIMIT) {
                    return;
                }
                byte last = target.block.segment().get(ValueLayout.JAVA_BYTE, target.size - 1);
                Block moved = heap.reallocate(target.block, size);
                if (size >= target.size) {
                    assertThat(moved.segment().get(ValueLayout.JAVA_BYTE, target.size - 1)).isEqualTo(last);
                }
                live.remove(target);
                live.add(new M(moved, 0, target.tag, size, 0));
                books[0] += size - target.size;
            }
            case REALLOC_OVER_LIMIT -> {
                if (target == null || target.refs > 0 || !limited && kind != HeapKind.SLAB) {
                    return;
                }
                long over = kind == HeapKind.SLAB ? SLAB_BLOCK + 1 : KIND_LIMIT - books[0] + target.size + 1;
                assertRefusedReallocation(heap, target, over);
            }
            case ALLOC_ABSURD -> {
                for (long absurd : new long[] {Long.MAX_VALUE, (1L << 46) + 1}) {
                    assertThatThrownBy(() -> heap.allocate(absurd, tag)).isInstanceOf(AllocationFailedException.class);
                }
                try (dev.custody.scoped.Frame f = dev.custody.scoped.Frames.push()) {
                    assertThatThrownBy(() -> f.allocate(Long.MAX_VALUE)).isInstanceOf(AllocationFailedException.class);
                    assertThat(f.allocate(size).byteSize()).as("the frame stays usable").isEqualTo(size);
                }
            }
            case REALLOC_ABSURD -> {
                if (target != null && target.refs == 0) {
                    assertRefusedReallocation(heap, target, (1L << 46) + 1);
                }
            }
            case FREE_COUNTED -> {
                if (target == null || target.refs < 2) {
                    return;
                }
                assertThatThrownBy(target.block::free).isInstanceOf(BlockInUseException.class);
                assertThat(target.block.isLive()).isTrue();
                ((SharedBlock) target.block).release();
                target.refs--;
            }
            case REALLOC_COUNTED -> {
                if (target == null || target.refs == 0) {
                    return;
                }
                assertThatThrownBy(() -> heap.reallocate(target.block, size)).isInstanceOf(BlockInUseException.class);
                assertThat(target.block.isLive()).isTrue();
            }
            case FREE_FAILING -> {
                if (target == null || target.refs > 1 || kind != HeapKind.CHILD) {
                    return; // only a child of the failing allocator frees through it at once
                }
                failing.failing = true;
                try {
                    assertThatThrownBy(target.block::free).isInstanceOf(FreeFailedException.class);
                } finally {
                    failing.failing = false;
                }
                assertThat(target.block.isLive()).isTrue();
                assertThat(heap.liveBlocks()).as("still live, and counted").anyMatch(b -> b.address() == target.block.address());
            }
        }
    }

    /** A refused reallocation leaves the block live, its segment valid and its bytes unchanged. */
    private static void assertRefusedReallocation(Heap heap, M target, long newSize) {
        MemorySegment seg = target.block.segment();
        byte last = seg.get(ValueLayout.JAVA_BYTE, target.size - 1);
        assertThatThrownBy(() -> heap.reallocate(target.block, newSize)).isInstanceOf(AllocationFailedException.class);
        assertThat(target.block.isLive()).isTrue();
        assertThat(seg.get(ValueLayout.JAVA_BYTE, target.size - 1)).as("the old segment").isEqualTo(last);
    }

    static void nativeFree(int heap, long addr) throws Throwable {
        switch (heap) {
            case 0 -> Natives.LIBC_FREE.invokeExact(addr);
            case 1 -> Natives.MI_FREE.invokeExact(addr);
            default -> Natives.SQLITE_FREE.invokeExact(addr);
        }
    }

}
