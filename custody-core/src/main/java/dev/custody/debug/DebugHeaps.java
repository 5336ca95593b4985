package dev.custody.debug;

import dev.custody.DoubleFreeException;
import dev.custody.Heap;
import dev.custody.IllegalHandOffException;
import dev.custody.internal.AbstractHeap;
import dev.custody.internal.DebugHeapImpl;

import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Factories for debug heaps: a heap that stands in for a base heap and checks the memory itself.
 * The debug behaviour is a wrapper chosen once, so the base heap and every other heap keep their
 * fast path with no debug branches.
 *
 * <p><b>Standing in for the base.</b> A debug heap's memory comes from the base heap's allocator
 * (or, for guarded blocks, from {@code mmap}): a block and its canaries are one allocation of the
 * base's memory, never a block of the base's, so the base neither books it nor, when tracked,
 * emits an event for it. It has the base heap's owner, and its books roll up
 * into the base heap's, like a {@linkplain Heap#child child}: a block of the debug heap freed
 * through the base heap is freed by the debug heap, with its checks. A block freed through a heap
 * of another owner throws {@link dev.custody.WrongHeapException}, as on any heap. All the laws hold.
 *
 * <p><b>Any heap kind.</b> The base may be any custody heap: a native heap, a child, a region, a
 * flat region, a slab, another debug heap. Over a pool, the canaries are carved from the pool's
 * memory with the block, so a slab's slot must hold them: a debug heap over a slab of {@code n}-byte
 * slots gives blocks of up to {@code n - 32} bytes, and refuses bigger ones with {@link
 * dev.custody.AllocationFailedException}. A region's {@link dev.custody.scoped.Region#release()}
 * kills the debug heap's live blocks as its own, and, like a pool's close, first checks and empties
 * the quarantine held in its memory (a write after free found there is reported as below). The
 * books stay exact at every level.
 *
 * <p><b>Canaries.</b> Each block has 16 canary bytes ({@link DebugOptions#CANARY}) before and after
 * it. They are checked when the block is freed or reallocated. A changed canary is an overrun or
 * underrun: the free throws {@link HeapCorruptionException} naming the block (heap, tag, size,
 * address, first changed byte, and the allocation site when tracked). The free has happened by
 * then: the block is dead and the books count it freed, but its memory is withheld from the
 * allocator for good, because an overrun that went past the canary may have damaged the
 * allocator's own data and its {@code free} could abort the process. A reallocate of an overrun
 * block throws the same way before anything changes (the block stays live).
 *
 * <p><b>Poison and quarantine.</b> A freed block is filled with the poison byte and held in a
 * bounded quarantine ({@link DebugOptions#withQuarantine}). Memory is reused only after it left
 * the quarantine, and the poison and canaries are checked as it leaves, so that check is also the
 * check at reuse. A changed byte is a write after free, found long after the writer: it cannot
 * be thrown at the writer, and throwing it at an unrelated free would confuse that caller. So it
 * is reported, on the thread whose free evicted the block, to the {@linkplain
 * DebugOptions#withListener listener} (by default a warning on standard error) and as a JFR
 * {@code dev.custody.Misuse} event, and kept: {@link DebugHeap#verify()} and {@link
 * DebugHeap#close()} throw {@link HeapCorruptionException}. A test therefore fails at the latest
 * when it closes its debug heap.
 *
 * <p><b>Cost.</b> On libc at 64 B, one allocate, write and free ({@code DebugHeapBenchmark} in
 * custody-bench, 2 quiet cores, CPU time): 275 ns on the poisoning heap against 75 ns unwrapped
 * (3.7x), the same with no quarantine at all (283 ns): the debug heap's own books and registry
 * entry over the base's allocation, the canaries and the poison take it, not the quarantine. At
 * 4096 B the poison fill and check make it 1.15 µs (0.70 µs without a quarantine, whose memory is
 * then cold when it leaves). A guarded heap costs its system calls: about 18 µs a cycle.
 *
 * <p><b>Raw-address double frees.</b> Once malloc has reused an address, a second free by raw
 * address cannot be told from a free of the new block. While a freed address is in the quarantine
 * nothing can reuse it, so {@link Heap#free(java.lang.foreign.MemorySegment)} of it through the
 * debug heap throws {@link DoubleFreeException} naming the thread of the first free (and its
 * site when tracked) instead of {@link dev.custody.UnknownBlockException}. Nothing reaches the
 * allocator twice.
 *
 * <p><b>Hand-off.</b> Every block a debug heap allocates has an address of custody's own (it lies
 * inside a larger allocation or a mapping), so {@link dev.custody.Block#handOff} throws {@link
 * IllegalHandOffException}. Adopted blocks are the exception: they are plain memory of the base
 * allocator, with no canaries, may be handed off, and are freed through the base allocator at once,
 * without quarantine.
 *
 * <p><b>Threads.</b> A debug heap may be used from any thread, like its base. The quarantine is
 * one lock: a debug heap serialises frees.
 */
public final class DebugHeaps {
    private DebugHeaps() {
    }

    /**
     * {@link #poisoning(Heap, DebugOptions)} with the {@linkplain DebugOptions#defaults() defaults}.
     *
     * @param base the heap the blocks come from
     * @return the debug heap
     * @throws NullPointerException if {@code base} is null
     */
    public static DebugHeap poisoning(Heap base) {
        return poisoning(base, DebugOptions.defaults());
    }

    /**
     * A debug heap over {@code base} with canaries, poison and a quarantine (see the class
     * description). The heap is named {@code "debug(" + base.name() + ")"}, has the base's tracking
     * level, and is closable.
     *
     * @param base the heap the blocks come from
     * @param options the quarantine, poison and listener
     * @return the debug heap
     * @throws NullPointerException if {@code base} or {@code options} is null
     */
    public static DebugHeap poisoning(Heap base, DebugOptions options) {
        return DebugHeapImpl.poisoning(AbstractHeap.of(Objects.requireNonNull(base, "base")), Objects.requireNonNull(options, "options"));
    }

    /**
     * A debug heap whose blocks each sit on their own pages, mapped with {@code mmap}: the block
     * ends against a {@code PROT_NONE} guard page, so a write or read past its end faults at once;
     * its address is aligned to 16 bytes (or the requested alignment), and the few slack bytes
     * between its end and the guard page, like the bytes before it on its first page, are canaries
     * checked at free. A freed block's pages are made {@code PROT_NONE} and held in the quarantine,
     * so a use after free faults too; they are unmapped as they leave it.
     *
     * <p>A fault kills the JVM with {@code SIGSEGV}: no exception, no shutdown hook. Give the heap a
     * {@linkplain DebugOptions#withRing ring file}, and read it afterwards with {@link GuardRing}:
     * it holds the last allocations and frees with the block's heap, tag, size, address, thread and
     * (when tracked) site.
     *
     * <p>A live guarded block costs 2 mappings and a quarantined one 1. The heap stays within its
     * budget ({@link DebugOptions#withMapShare}, by default half of {@code vm.max_map_count}); once
     * the budget is reached it guards only one allocation in {@link DebugOptions#sampleEvery()}, and
     * the others get canaries and poison from the base heap, as in {@link #poisoning}. The
     * heap is named {@code "guarded(" + base.name() + ")"}.
     *
     * @param base the heap the sampled-out blocks come from, and the heap that names this one
     * @param options the quarantine, ring file and mapping budget
     * @return the debug heap
     * @throws NullPointerException if {@code base} or {@code options} is null
     * @throws UncheckedIOException if the ring file cannot be created and mapped
     */
    public static DebugHeap guarded(Heap base, DebugOptions options) {
        return DebugHeapImpl.guarded(AbstractHeap.of(Objects.requireNonNull(base, "base")), Objects.requireNonNull(options, "options"));
    }
}
