package dev.custody.internal;

import dev.custody.AllocationFailedException;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.scoped.Frame;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;

/**
 * One thread's temporary storage behind {@link dev.custody.scoped.Frames}: chunks of memory used
 * as a stack, and a confined arena per frame into which the frame's slices are reinterpreted, so
 * that they die when the frame pops (the JDK's {@code BufferStack} design). Touched only by its own
 * thread: there is no lock.
 *
 * <p>Frames are heaps in the model: every chunk, the base and the ones a frame grows (oversize
 * requests included), is a block of {@link dev.custody.Heaps#libc()} tagged {@value #TAG_NAME},
 * held by the stack as a pool holds its chunks ({@link Chunks}): in libc's books and so in every
 * snapshot, never listed as libc's leak, never freeable through libc. Their ranges are in the
 * registry, so a raw free of an address inside one is refused as the frames'. A platform thread's
 * base chunk leaves the books at {@code Frames.release()}, or when the thread has ended and the GC
 * finds the stack unreachable (a {@link Cleaner} frees it).
 */
public final class FrameStack {
    /** The base chunk a platform thread keeps between outermost frames. */
    public static final long PLATFORM_BASE = 64 * 1024;
    /** The base chunk of a virtual thread, freed at its outermost pop. */
    static final long VIRTUAL_BASE = 8 * 1024;
    private static final long ALIGN = 16;
    static final String TAG_NAME = "frames";
    /** The tag of the frames' chunks in libc's books. */
    public static final Tag TAG = Tag.of(TAG_NAME);

    private static final ThreadLocal<FrameStack> STACKS = new ThreadLocal<>();
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "custody-frames-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final Thread thread = Thread.currentThread();
    /** The chunks, as libc blocks held by this stack; the action below holds it, not the stack. */
    private final Chunks chunks;
    /** The chunks' memory, in the same order; a chunk's segment is never handed out, only sliced. */
    private final ArrayList<MemorySegment> memory = new ArrayList<>(4);
    /** Frees what the stack holds, once: at its release, its virtual thread's outermost pop, or by the GC. */
    private final Cleaner.Cleanable cleanable;
    private MemorySegment top;
    /** Next free byte of {@link #top}, as an offset. */
    private long offset;
    /** Bytes handed out by the open frames, alignment padding included. */
    private long used;
    private long peak;
    private FrameImpl innermost;

    private FrameStack() {
        Chunks c = new Chunks(Heaps.libc(), TAG, name(), new Object(), name());
        this.chunks = c;
        this.cleanable = CLEANER.register(this, c::freeAll);
    }

    public static Frame push() {
        FrameStack s = STACKS.get();
        if (s == null) {
            s = new FrameStack();
            STACKS.set(s);
        }
        return s.pushFrame();
    }

    public static int reset() {
        FrameStack s = STACKS.get();
        if (s == null) {
            return 0;
        }
        int n = 0;
        while (s.innermost != null) {
            s.innermost.close();
            n++;
        }
        return n;
    }

    public static int depth() {
        FrameStack s = STACKS.get();
        return s == null || s.innermost == null ? 0 : s.innermost.depth;
    }

    public static long heldBytes() {
        FrameStack s = STACKS.get();
        return s == null ? 0 : s.chunks.bytes();
    }

    public static long peakBytes() {
        FrameStack s = STACKS.get();
        return s == null ? 0 : s.peak;
    }

    public static void release() {
        FrameStack s = STACKS.get();
        if (s == null) {
            return;
        }
        if (s.innermost != null) {
            throw Errors.illegalState(s.name(), Words.count(s.innermost.depth, "frame") + " of thread '" + s.thread.getName()
                    + "' " + (s.innermost.depth == 1 ? "is" : "are") + " open: pop them (or Frames.reset()) before Frames.release()");
        }
        s.cleanable.clean();
        STACKS.remove();
    }

    private Frame pushFrame() {
        if (top == null) {
            addChunk(thread.isVirtual() ? VIRTUAL_BASE : PLATFORM_BASE, 0);
        }
        innermost = new FrameImpl(this, innermost, memory.size() - 1, offset, used);
        return innermost;
    }

    /**
     * A chunk of {@code size} bytes from libc. Nothing changes if it cannot be had, so the frame
     * stays usable (Law 9).
     */
    private void addChunk(long size, long forSize) {
        long address;
        try {
            address = chunks.allocate(size, Tag.UNTAGGED, forSize);
        } catch (AllocationFailedException e) {
            throw Errors.failed(name(), Tag.UNTAGGED, forSize, -1, "malloc could not give a chunk of " + size
                    + " B (" + e.getMessage() + ")");
        }
        MemorySegment m = MemorySegment.ofAddress(address).reinterpret(size);
        memory.add(m);
        top = m;
        offset = 0;
    }

    /** The frames' name in messages and events: the thread's temporary storage. */
    private String name() {
        return "frames of thread '" + thread.getName() + "'";
    }

    MemorySegment allocate(FrameImpl f, long size, long alignment) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: " + size);
        }
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two: " + alignment);
        }
        long start = top.address() + offset;
        long at = (start + alignment - 1) & -alignment;
        if (size > top.address() + top.byteSize() - at) {
            grow(size, alignment);
            start = top.address();
            at = (start + alignment - 1) & -alignment;
        }
        offset = at + size - top.address();
        used += at + size - start;
        if (used > peak) {
            peak = used;
        }
        return MemorySegment.ofAddress(at).reinterpret(size, f.arena, null);
    }

    /** A chunk at least twice the last, freed when the frame that grew it pops. */
    private void grow(long size, long alignment) {
        if (size > AbstractHeap.ABSURD || alignment > AbstractHeap.ABSURD) {
            throw Errors.failed(name(), Tag.UNTAGGED, size, -1, "the size is absurd (over "
                    + AbstractHeap.ABSURD + " B)");
        }
        addChunk(Math.max(size + alignment, 2 * top.byteSize()), size);
    }

    void pop(FrameImpl f) {
        f.arena.close();
        innermost = f.parent;
        if (memory.size() > f.chunk + 1) {
            chunks.freeDownTo(f.chunk + 1);
            while (memory.size() > f.chunk + 1) {
                memory.removeLast();
            }
        }
        top = memory.get(f.chunk);
        offset = f.offset;
        used = f.used;
        if (innermost == null && thread.isVirtual()) {
            cleanable.clean();
            memory.clear();
            top = null;
            STACKS.remove();
        }
    }

    /** A frame: where the stack stood at its push, and the arena of its slices. */
    public static final class FrameImpl implements Frame {
        private final FrameStack stack;
        final FrameImpl parent;
        final int depth;
        final int chunk;
        final long offset;
        final long used;
        final Arena arena = Arena.ofConfined();
        private boolean open = true;

        FrameImpl(FrameStack stack, FrameImpl parent, int chunk, long offset, long used) {
            this.stack = stack;
            this.parent = parent;
            this.depth = parent == null ? 1 : parent.depth + 1;
            this.chunk = chunk;
            this.offset = offset;
            this.used = used;
        }

        @Override
        public MemorySegment allocate(long byteSize, long byteAlignment) {
            checkThread("allocate");
            if (!open) {
                throw Errors.illegalState(stack.name(), "allocate on frame #" + depth + " of thread '"
                        + stack.thread.getName() + "', which was already popped");
            }
            if (stack.innermost != this) {
                throw Errors.illegalState(stack.name(), "allocate on frame #" + depth + " while frame #"
                        + stack.innermost.depth + " is open: only the innermost frame allocates");
            }
            return stack.allocate(this, byteSize, byteAlignment);
        }

        @Override
        public int depth() {
            return depth;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            checkThread("pop");
            if (!open) {
                return;
            }
            if (stack.innermost != this) {
                throw Errors.illegalState(stack.name(), "frame #" + depth + " popped out of order: frame #"
                        + stack.innermost.depth + " is still open. Frames pop in LIFO order: close the inner"
                        + " frame first. Nothing was popped.");
            }
            open = false;
            stack.pop(this);
        }

        private void checkThread(String op) {
            Thread me = Thread.currentThread();
            if (me != stack.thread) {
                throw Errors.wrongThread(stack.name(), op + " of frame #" + depth + " from thread '" + me.getName()
                        + "', but the frame belongs to thread '" + stack.thread.getName() + "'");
            }
        }

        @Override
        public String toString() {
            return "frame #" + depth + " of thread '" + stack.thread.getName() + "'" + (open ? "" : " (popped)");
        }
    }
}
