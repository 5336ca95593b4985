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
        for (;;) {
            int r = refs;
            if (r <= 0) {
                throw Errors.dead(this, FREED, "release");
            }
            if (REFS.compareAndSet(this, r, r - 1)) {
                if (r == 1) {
                    freeLast("release");
                    return true;
                }
                return false;
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

    @Override
    void closeView() {
        super.closeView();
        release();
    }
}
