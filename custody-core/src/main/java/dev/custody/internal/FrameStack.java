package dev.custody.internal;

import dev.custody.scoped.Frame;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;

/**
 * One thread's temporary storage behind {@link dev.custody.scoped.Frames}: chunks of memory used
 * as a stack, and a confined arena per frame into which the frame's slices are reinterpreted, so
 * that they die when the frame pops (the JDK's {@code BufferStack} design). Touched only by its own
 * thread: there is no lock.
 */
public final class FrameStack {
    /** The base chunk a platform thread keeps between outermost frames. */
    public static final long PLATFORM_BASE = 64 * 1024;
    /** The base chunk of a virtual thread, freed at its outermost pop. */
    static final long VIRTUAL_BASE = 8 * 1024;
    private static final long ALIGN = 16;

    private static final ThreadLocal<FrameStack> STACKS = new ThreadLocal<>();

    private final Thread thread = Thread.currentThread();
    private final ArrayList<Chunk> chunks = new ArrayList<>(4);
    private Chunk top;
    /** Next free byte of {@link #top}, as an offset. */
    private long offset;
    /** Bytes handed out by the open frames, alignment padding included. */
    private long used;
    private long peak;
    private FrameImpl innermost;

    /** A piece of the stack; {@code arena} is null for a platform thread's base (automatic arena). */
    private record Chunk(MemorySegment memory, Arena arena) {
        void free() {
            if (arena != null) {
                arena.close();
            }
        }
    }

    private FrameStack() {
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
        long n = 0;
        if (s != null) {
            for (Chunk c : s.chunks) {
                n += c.memory.byteSize();
            }
        }
        return n;
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
        s.chunks.forEach(Chunk::free);
        STACKS.remove();
    }

    private Frame pushFrame() {
        if (top == null) {
            boolean virtual = thread.isVirtual();
            long size = virtual ? VIRTUAL_BASE : PLATFORM_BASE;
            // A platform thread keeps its base across frames; if the thread ends without
            // Frames.release(), the automatic arena lets the GC free it with the thread's locals.
            Arena arena = virtual ? Arena.ofConfined() : null;
            MemorySegment memory = (virtual ? arena : Arena.ofAuto()).allocate(size, ALIGN);
            addChunk(new Chunk(memory, arena));
        }
        innermost = new FrameImpl(this, innermost, chunks.size() - 1, offset, used);
        return innermost;
    }

    private void addChunk(Chunk c) {
        chunks.add(c);
        top = c;
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
        long start = top.memory.address() + offset;
        long at = (start + alignment - 1) & -alignment;
        if (size > top.memory.address() + top.memory.byteSize() - at) {
            grow(size, alignment);
            start = top.memory.address();
            at = (start + alignment - 1) & -alignment;
        }
        offset = at + size - top.memory.address();
        used += at + size - start;
        if (used > peak) {
            peak = used;
        }
        return MemorySegment.ofAddress(at).reinterpret(size, f.arena, null);
    }

    /**
     * A chunk at least twice the last, freed when the frame that grew it pops. Nothing changes if
     * it cannot be had, so the frame stays usable (Law 9).
     */
    private void grow(long size, long alignment) {
        if (size > AbstractHeap.ABSURD || alignment > AbstractHeap.ABSURD) {
            throw Errors.failed(name(), dev.custody.Tag.UNTAGGED, size, -1, "the size is absurd (over "
                    + AbstractHeap.ABSURD + " B)");
        }
        long need = Math.max(size + alignment, 2 * top.memory.byteSize());
        Arena arena = Arena.ofConfined();
        MemorySegment memory;
        try {
            memory = arena.allocate(need, ALIGN);
        } catch (OutOfMemoryError e) { // malloc returned NULL
            arena.close();
            throw Errors.failed(name(), dev.custody.Tag.UNTAGGED, size, -1, "malloc could not give a chunk of "
                    + need + " B");
        }
        addChunk(new Chunk(memory, arena));
    }

    void pop(FrameImpl f) {
        f.arena.close();
        innermost = f.parent;
        for (int i = chunks.size() - 1; i > f.chunk; i--) {
            chunks.remove(i).free();
        }
        top = chunks.get(f.chunk);
        offset = f.offset;
        used = f.used;
        if (innermost == null && thread.isVirtual()) {
            chunks.forEach(Chunk::free);
            chunks.clear();
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
