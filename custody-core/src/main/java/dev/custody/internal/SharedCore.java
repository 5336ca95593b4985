package dev.custody.internal;

import dev.custody.BlockView;
import dev.custody.Tag;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The state of a reference-counted block. The user holds a {@link SharedHandle}; this core is what
 * the registry and the cleaner hold, so that the handle can become unreachable.
 *
 * <p>Views retain the block while open, so the count cannot reach zero under a view.
 */
final class SharedCore extends BlockImpl {
    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(SharedCore.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** > 0 while live. 0 once freed, and terminal: retain never moves it up from 0 (Law 7). */
    private volatile int refs = 1;
    /**
     * What the user holds, for {@link #exposed()}: never the core itself while the handle lives, so
     * a view's {@code block()} or {@code liveBlocks()} cannot bypass the count.
     */
    private volatile java.lang.ref.WeakReference<SharedHandle> handle;
    /** The cleaner found the handle unreachable while views were open: the last view's close frees it. */
    private volatile boolean orphaned;

    SharedCore(AbstractHeap heap, long address, long base, long size, Tag tag, int flags) {
        super(heap, address, base, size, tag, flags, true);
    }

    @Override
    boolean isShared() {
        return true;
    }

    int refs() {
        return refs;
    }

    void handle(SharedHandle h) {
        handle = new java.lang.ref.WeakReference<>(h);
    }

    /** The handle while it lives; once it was collected, this core, whose own methods respect the count too. */
    @Override
    dev.custody.Block exposed() {
        java.lang.ref.WeakReference<SharedHandle> r = handle; // null in the instant before the handle exists
        SharedHandle h = r == null ? null : r.get();
        return h != null ? h : this;
    }

    /** The count decides here too: a free through the core is the counted free of {@link #freeIfSole()}. */
    @Override
    public void free() {
        freeIfSole();
    }

    void retain() {
        for (;;) {
            int r = refs;
            if (r <= 0) {
                throw Errors.dead(this, FREED, "retain");
            }
            if (r == Integer.MAX_VALUE) {
                throw Errors.refCountOverflow(this);
            }
            if (REFS.compareAndSet(this, r, r + 1)) {
                return;
            }
        }
    }

    /** @return true if this release freed the block */
    boolean release() {
        if (drop()) {
            freeLast("release");
            return true;
        }
        return false;
    }

    /** Takes one from the count, freeing nothing; @return whether it reached 0. */
    private boolean drop() {
        for (;;) {
            int r = refs;
            if (r <= 0) {
                throw Errors.dead(this, FREED, "release");
            }
            if (REFS.compareAndSet(this, r, r - 1)) {
                return r == 1;
            }
        }
    }

    /** Free for a count of one only; anything else is a bug in the caller's counting. */
    void freeIfSole() {
        if (!REFS.compareAndSet(this, 1, 0)) {
            int r = refs;
            if (r <= 0) {
                throw Errors.dead(this, FREED, "free");
            }
            throw Errors.counted(this, r, "free");
        }
        freeLast("free");
    }

    /** The free once the count reached 0; a free that fails gives the last reference back. */
    private void freeLast(String op) {
        try {
            heap.freeOwned(this, op);
        } catch (dev.custody.FreeFailedException e) {
            REFS.setVolatile(this, 1);
            throw e;
        }
    }

    /** For the cleaner: claims the last references of an unreachable block. */
    int drain() {
        return (int) REFS.getAndSet(this, 0);
    }

    /**
     * For {@code freeLeaked()}: frees the block whatever its count, unless views are open. A view
     * opened meanwhile, or a free that fails, gives the count back, so nothing is stranded.
     *
     * @return whether this call freed the block
     */
    boolean freeLeaked() {
        if (views() != 0) {
            return false;
        }
        int r = drain(); // from now on no view can open: retain() refuses a count of 0
        if (r <= 0) {
            return false;
        }
        try {
            heap.freeOwned(this, "free");
            return true;
        } catch (RuntimeException e) {
            REFS.getAndAdd(this, r);
            throw e;
        }
    }

    /**
     * For the cleaner, once the handle is unreachable: frees the block if no view is open, else
     * leaves it to the last view's close. Exactly one of the cleaner and the views' closes frees it.
     *
     * @return whether this call gave the memory back
     */
    boolean freeUnreachable() {
        if (views() != 0) {
            orphaned = true;
            if (views() != 0) {
                return false; // the last view's close sees the flag
            }
        }
        int r = drain();
        if (r <= 0) {
            return false;
        }
        if (!killUnreachable()) { // a view opened before the drain: it frees at its close
            REFS.getAndAdd(this, r);
            orphaned = true;
            return false;
        }
        closeArena();
        return heap.releaseUnreachable(this);
    }

    @Override
    public synchronized MemorySegment segment() {
        int s = views();
        if (s < 0) {
            throw Errors.dead(this, s, "segment");
        }
        return segment != null ? segment : newSharedSegment();
    }

    private MemorySegment newSharedSegment() {
        Arena a = Arena.ofShared();
        segment = MemorySegment.ofAddress(address).reinterpret(size, a, null);
        arena = a;
        return segment;
    }

    @Override
    synchronized void closeArena() {
        super.closeArena();
    }

    @Override
    public BlockView open() {
        retain();
        try {
            return super.open();
        } catch (RuntimeException e) {
            release();
            throw e;
        }
    }

    /**
     * The view's reference goes before its state, so a cleaner that sees no view open sees the
     * count without it: of the cleaner and the last view's close, exactly one frees an orphan.
     */
    @Override
    void closeView() {
        boolean last = drop();
        super.closeView();
        if (last) {
            freeLast("release");
        } else if (orphaned && views() == 0) {
            freeUnreachable();
        }
    }
}
