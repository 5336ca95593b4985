package dev.custody.scoped;

import dev.custody.internal.FrameStack;

/**
 * Per-thread temporary storage: a stack of {@link Frame}s, popped in LIFO order.
 *
 * <p><b>Memory.</b> Frames are heaps in the model. Each thread's stack is a base chunk plus chunks
 * added when a frame needs more (an oversize request gets one of its own), each freed when the frame
 * that grew the stack pops. Every chunk is a block of {@link dev.custody.Heaps#libc()} tagged
 * {@code frames}, held by the thread's stack as a pool holds its chunks: libc's books, and so
 * {@link dev.custody.Custody#snapshot()}, count them; libc never lists them as its leaks, and cannot
 * free them (a raw free through any heap of an address inside one is a
 * {@link dev.custody.WrongHeapException} naming the thread's frames). When the thread's outermost
 * frame pops:
 * <ul>
 *   <li>on a virtual thread, everything goes: the base chunk is freed and the thread-local entry
 *       removed, so millions of short virtual threads hold nothing;</li>
 *   <li>on a platform thread, the base chunk ({@value FrameStack#PLATFORM_BASE} bytes, the kept bound)
 *       stays for the next frame, as a game loop wants. {@link #release()} removes it and the
 *       thread-local entry; if the thread ends first, the chunk leaves libc's books when the garbage
 *       collector finds the ended thread's stack unreachable (a cleaner frees it).</li>
 * </ul>
 *
 * <p>Works on virtual threads: each has its own stack, and its slices stay valid when it moves
 * between carrier threads.
 *
 * <p><b>Cost.</b> Measured on 2 quiet cores (load 1.2-1.6) with Temurin 25 ({@code FrameBenchmark}
 * in custody-bench, one fork, two rounds, CPU time): push, allocate 64 B or 1 KiB, write and read
 * back, pop takes 42 to 45 ns, against 5.2 ns for the {@code BufferStack}-like peer (a confined arena
 * per frame, a slice of a backing segment reinterpreted into it; 8.1x to 8.6x), 8.2 ns for LWJGL
 * 3.3.6's {@code MemoryStack} and 5.9 ns for {@code SegmentAllocator.slicingAllocator}. The
 * difference is the confined arena each frame makes and closes, and the frame itself (136 B per
 * frame under JMH's {@code gc} profiler, against none for the peer): the peer's arena never
 * escapes its method, so the JIT removes it, whereas a frame is held by the thread's stack so that
 * {@link #reset()} can pop it. It is the price of slices that throw after the pop, where LWJGL's
 * stale addresses read whatever the next frame wrote.
 *
 * <p>A thread that ends with frames still open cannot have them popped by anyone (their arenas are
 * confined to it, so no one else can reach their slices either): its chunks, the base included, stay
 * in libc's books until the garbage collector finds the ended thread's stack unreachable, and are
 * freed then. Pop frames with try-with-resources, or call {@link #reset()} at the end of the thread's
 * loop.
 */
public final class Frames {
    private Frames() {
    }

    /**
     * Pushes a frame on this thread's stack.
     *
     * @return the new innermost frame; close it (try-with-resources) to pop it
     */
    public static Frame push() {
        return FrameStack.push();
    }

    /**
     * The seed's {@code reset_temporary_storage()}, called once per game-loop frame: pops every frame
     * of this thread, innermost first, invalidating all their slices.
     *
     * @return how many frames were open
     */
    public static int reset() {
        return FrameStack.reset();
    }

    /**
     * How many frames this thread has open.
     *
     * @return the count, 0 when none is open
     */
    public static int depth() {
        return FrameStack.depth();
    }

    /**
     * The bytes this thread's stack holds now (its chunks), 0 if it has none.
     *
     * @return the bytes held
     */
    public static long heldBytes() {
        return FrameStack.heldBytes();
    }

    /**
     * The most bytes this thread's frames have used at once since its stack was made.
     *
     * @return the peak in bytes
     */
    public static long peakBytes() {
        return FrameStack.peakBytes();
    }

    /**
     * Drops this thread's stack and its thread-local entry.
     *
     * @throws IllegalStateException if frames are open; call {@link #reset()} first
     */
    public static void release() {
        FrameStack.release();
    }
}
