package dev.custody.internal;

import dev.custody.AllocationFailedException;
import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Tag;

import java.util.ArrayList;

/**
 * The pieces of memory a pool (region or slab) takes from its parent heap: blocks of the parent,
 * tagged, so that the parent's books show what the pool holds. They belong to the pool: the
 * parent cannot free, hand off, reallocate or release them (its own release, {@code freeLeaked()},
 * a raw free of a chunk's address), and does not list them in {@code liveBlocks()} or as its leaks.
 * They are detached at once (custody uses only their addresses), so any thread may give them back.
 *
 * <p>A pool carves nothing in a chunk's first {@value #HEADER} bytes: the registry knows blocks by
 * address, and the chunk itself is a block of the parent at its start address. A pool whose blocks
 * are in no registry entry (a region, a thread's frames) has its chunks' ranges recorded instead
 * ({@link Registry#range}), so that a raw free of an address inside one is refused as the pool's.
 */
final class Chunks {
    static final long HEADER = 16;

    private final Heap parent;
    private final Tag tag;
    private final String pool;
    private final ArrayList<Block> held = new ArrayList<>();
    private volatile long bytes;
    /** The pool whose chunks' ranges are recorded, or null (a slab's blocks are registered one by one). */
    private final Object ranges;
    /** How messages name the pool in a range: {@code region 'level'}. */
    private final String described;

    Chunks(Heap parent, Tag tag, String pool) {
        this(parent, tag, pool, null, null);
    }

    Chunks(Heap parent, Tag tag, String pool, Object ranges, String described) {
        this.parent = java.util.Objects.requireNonNull(parent, "parent");
        this.tag = tag;
        this.pool = pool;
        this.ranges = ranges;
        this.described = described;
    }

    /**
     * A chunk of {@code size} bytes aligned to 16 on the parent.
     *
     * @throws AllocationFailedException naming the pool, the request that needed the chunk, and the
     *     parent's refusal
     */
    long allocate(long size, Tag forTag, long forSize) {
        Block c;
        try {
            c = parent.allocate(size, 16, tag);
        } catch (AllocationFailedException e) {
            throw Errors.failed(pool, forTag, forSize, -1, "its parent heap '" + parent.name()
                    + "' could not give a chunk of " + size + " B (" + e.getMessage() + ")");
        }
        c.detach();
        ((BlockImpl) c).heldBy = this; // before anything is carved in it: the parent can no longer free it
        if (c instanceof RegionBlock r) {
            r.region().chunkHeld(r, 1);
        }
        held.add(c);
        bytes += size;
        if (ranges != null) {
            Registry.addRange(c.address(), size, described, ranges);
        }
        return c.address();
    }

    /**
     * Gives every chunk back to the parent. A chunk whose free throws stays held (and in the
     * parent's books), with those after it.
     *
     * @throws dev.custody.FreeFailedException if the parent's free function threw
     */
    void freeAll() {
        freeDownTo(0);
    }

    /**
     * Gives back the chunks after the first {@code keep}, newest first, as {@link #freeAll()} does.
     *
     * @throws dev.custody.FreeFailedException if the parent's free function threw
     */
    void freeDownTo(int keep) {
        while (held.size() > keep) {
            BlockImpl c = (BlockImpl) held.getLast();
            if (ranges != null) {
                Registry.removeRange(c.address);
            }
            c.heldBy = null;
            try {
                c.free();
            } catch (RuntimeException e) {
                c.heldBy = this;
                if (ranges != null) {
                    Registry.addRange(c.address, c.size, described, ranges);
                }
                throw e;
            }
            if (c instanceof RegionBlock r) {
                r.region().chunkHeld(r, -1);
            }
            held.removeLast();
            bytes -= c.size;
        }
    }

    String pool() {
        return pool;
    }

    /** Keeps every chunk for good, for blocks that outlive the pool: not a leak of the parent's. */
    void keepForGood() {
        held.forEach(Block::markNotALeak);
    }

    long bytes() {
        return bytes;
    }

    int count() {
        return held.size();
    }

    Heap parent() {
        return parent;
    }
}
