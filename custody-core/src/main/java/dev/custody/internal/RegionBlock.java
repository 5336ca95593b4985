package dev.custody.internal;

import dev.custody.BlockView;
import dev.custody.Heap;

import java.lang.foreign.MemorySegment;

/**
 * A block a region carved itself: a slice of the region's confined arena of the generation it was
 * carved in, with plain-field state, since only the region's thread touches it. It is in no
 * registry: the region finds it (see {@link RegionHeap}). It dies by a single free (books only, its
 * memory kept until the release) or by the release of its generation, which closes the arena of
 * every segment it handed out.
 */
final class RegionBlock extends BlockImpl {
    /** The segment of the memory the block was carved in, in its generation's arena. */
    private final MemorySegment span;
    /** The generation the block was carved in: a release ends it, and the block with it. */
    final int generation;
    /** The block carved before this one in its generation: the region's list of its blocks. */
    final RegionBlock before;
    /** 0 while live, or how it died on its own ({@link #FREED}, {@link #REALLOCATED}). */
    private int death;
    private int views;

    RegionBlock(RegionHeap region, long address, long size, dev.custody.Tag tag, MemorySegment span,
                int generation, RegionBlock before) {
        super(region, address, address, size, tag, CUSTODY_LAYOUT, false);
        this.span = span;
        this.generation = generation;
        this.before = before;
    }

    /** Its region: the heap, kept in no field of its own (every 8 bytes of a block count, see RESULTS.md). */
    RegionHeap region() {
        return (RegionHeap) heap;
    }

    /** How the block is dead: on its own, or {@link #FREED} by its generation's release; 0 if live. */
    int deathState() {
        int d = death;
        if (d != 0) {
            return d;
        }
        return generation == region().generation() ? 0 : FREED;
    }

    /** Killed on its own by the region's thread: a single free or a reallocation. */
    void die(int how, String op) {
        Tracker.record(this, deathEvent(how));
        death = how;
    }

    int openViews() {
        return views;
    }

    /** A live block, on the region's thread; throws as the laws say otherwise. */
    private void check(String op) {
        region().confined(op);
        int d = deathState();
        if (d != 0) {
            throw Errors.dead(this, d, op);
        }
    }

    @Override
    public boolean isLive() {
        return death == 0 && generation == region().generation();
    }

    /**
     * A slice of the generation's arena, made afresh on each call (so that a caller that does not
     * keep it costs no allocation once inlined). Valid until the release, a single free included:
     * the memory is never reused before the release, so a stale slice sees only this block's bytes.
     */
    @Override
    public MemorySegment segment() {
        check("segment");
        return span.asSlice(address - span.address(), size);
    }

    @Override
    public BlockView open() {
        check("open");
        View v = new View(this);
        views++;
        region().viewOpened(1);
        return v;
    }

    @Override
    void closeView() {
        views--;
        region().viewOpened(-1);
    }

    /**
     * Checks only: a region block stays with the region's thread, its only possible owner, and its
     * segments stay valid until the release (a pool made over the region detaches its chunks).
     */
    @Override
    public void detach() {
        check("detach");
    }

    @Override
    public void free() {
        region().freeBlock(this, "free");
    }

    @Override
    public long handOff(Heap freer) {
        region().confined("handOff");
        return super.handOff(freer);
    }

    @Override
    public String toString() {
        return Errors.describe(this) + " (" + death(deathState()) + ")";
    }
}
