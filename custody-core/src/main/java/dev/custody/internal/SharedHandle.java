package dev.custody.internal;

import dev.custody.Block;
import dev.custody.BlockView;
import dev.custody.Heap;
import dev.custody.Leak;
import dev.custody.SharedBlock;
import dev.custody.Tag;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * What the user holds of a reference-counted block. When it becomes unreachable with a count
 * above zero, the cleaner frees the block and reports the leak (Law 7).
 */
public final class SharedHandle implements SharedBlock {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "custody-leak-cleaner");
        t.setDaemon(true);
        return t;
    });

    final SharedCore core;
    private final Cleaner.Cleanable cleanable;

    SharedHandle(SharedCore core) {
        this.core = core;
        core.handle(this);
        this.cleanable = CLEANER.register(this, new LeakAction(core));
    }

    /** Runs on the cleaner's thread; must not refer to the handle. */
    private record LeakAction(SharedCore core) implements Runnable {
        @Override
        public void run() {
            if (core.refs() <= 0) {
                return; // released normally
            }
            boolean freed = core.freeUnreachable();
            core.heap.leakCollected(core);
            Leak leak = new Leak(core.heap.name(), core.tag, core.size, core.address,
                    core.history == null ? null : core.history.allocation());
            LeakEvent.emit(leak, freed);
            try {
                core.heap.leakListener.leaked(leak, freed);
            } catch (Throwable t) {
                System.getLogger("dev.custody.Leak").log(System.Logger.Level.ERROR, "leak listener failed", t);
            }
        }
    }

    @Override
    public SharedBlock retain() {
        try {
            core.retain();
            return this;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public boolean release() {
        try {
            boolean freed = core.release();
            if (freed) {
                cleanable.clean();
            }
            return freed;
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public int refCount() {
        return Math.max(core.refs(), 0);
    }

    @Override
    public MemorySegment segment() {
        try {
            return core.segment();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public BlockView open() {
        try {
            return core.open();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public void detach() {
        core.detach();
    }

    @Override
    public long address() {
        return core.address;
    }

    @Override
    public long byteSize() {
        return core.size;
    }

    @Override
    public Tag tag() {
        return core.tag;
    }

    @Override
    public Heap heap() {
        return core.heap;
    }

    @Override
    public boolean isLive() {
        return core.isLive();
    }

    @Override
    public void free() {
        try {
            core.freeIfSole();
            cleanable.clean();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public long handOff(Heap freer) {
        return core.handOff(freer);
    }

    @Override
    public void markNotALeak() {
        core.markNotALeak();
    }

    @Override
    public boolean isMarkedNotALeak() {
        return core.isMarkedNotALeak();
    }

    @Override
    public dev.custody.Site allocationSite() {
        return core.allocationSite();
    }

    /** For reports: the core, which is what the registry holds. */
    Block core() {
        return core;
    }

    @Override
    public String toString() {
        return "shared " + core + ", count " + refCount();
    }
}
