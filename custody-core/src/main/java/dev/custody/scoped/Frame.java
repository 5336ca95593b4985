package dev.custody.scoped;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;

/**
 * One frame of this thread's temporary storage, made by {@link Frames#push()} and popped by
 * {@link #close()}: the seed's temporary allocator, for scratch arrays that die with the function.
 *
 * <pre>{@code
 * try (Frame f = Frames.push()) {
 *     MemorySegment stack = f.allocate(cells * 4L, 4);
 *     ...
 * }   // popped: every slice of f now throws IllegalStateException on access
 * }</pre>
 *
 * <p>A frame belongs to the thread that pushed it. Its slices live in a confined arena of that
 * thread (the JDK's {@code BufferStack} design): after the pop they throw the JDK's
 * {@link IllegalStateException} ("Already closed") on access, and other threads cannot touch them
 * ({@link WrongThreadException}). Their contents are not zeroed.
 */
public sealed interface Frame extends SegmentAllocator, AutoCloseable permits dev.custody.internal.FrameStack.FrameImpl {

    /**
     * A slice of {@code byteSize} bytes aligned to {@code byteAlignment}, valid until this frame pops.
     *
     * @throws IllegalArgumentException if the size is negative or the alignment not a power of two
     * @throws IllegalStateException if the frame was popped, or an inner frame is open (only the
     *     innermost frame allocates, so that frames stay LIFO)
     * @throws WrongThreadException on a thread other than the frame's
     * @throws dev.custody.AllocationFailedException if the size is absurd (over 2⁴⁶ B) or the
     *     memory cannot be had; nothing changed, and the frame stays usable
     */
    @Override
    MemorySegment allocate(long byteSize, long byteAlignment);

    /** As {@link #allocate(long, long)}, aligned to 16 bytes (what malloc would give). */
    @Override
    default MemorySegment allocate(long byteSize) {
        return allocate(byteSize, 16);
    }

    /**
     * 1 for the outermost frame of the thread, 2 for the next, and so on.
     *
     * @return the frame's depth, from 1
     */
    int depth();

    /**
     * Whether the frame is still open (not popped).
     *
     * @return true until the frame is popped
     */
    boolean isOpen();

    /**
     * Pops the frame: its slices become inaccessible and its memory is the next frame's. A frame
     * already popped (by {@link Frames#reset()}) is left as is, so that try-with-resources after a
     * reset is harmless.
     *
     * @throws IllegalStateException if an inner frame is still open: frames pop in LIFO order;
     *     nothing changes
     * @throws WrongThreadException on a thread other than the frame's; nothing changes
     */
    @Override
    void close();
}
