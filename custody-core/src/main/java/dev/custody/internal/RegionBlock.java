package dev.custody.internal;

import dev.custody.BlockView;
import dev.custody.Heap;

import java.lang.foreign.MemorySegment;

/**
 * A block a region carved itself: a slice of the region's confined arena of the generation it was
 * carved in. Its state (views, death) is its entry in the region's {@link RegionLog}, not a field,
 * since the region keeps no object per block: two objects of one entry (the one {@code allocate}
 * returned, and the one a listing made) are equal, and agree on everything. Only the region's
 * thread touches it. It dies by a single free (books only, its memory kept until the release) or by
 * the release of its generation, which closes the arena of every segment it handed out.
 */
final class RegionBlock extends BlockImpl {
    /** A segment, in its generation's arena, of the memory the block was carved in; null in an object a listing made. */
    private final MemorySegment span;
    /** The generation the block was carved in: a release ends it, and the block with it. */
    final int generation;
    /** Its entry in the region's log. */
    final int index;

    RegionBlock(RegionHeap region, long address, long size, dev.custody.Tag tag, MemorySegment span,
                int generation, int index) {
        super(region, address, size, tag, CUSTODY_LAYOUT);
        this.span = span;
        this.generation = generation;
        this.index = index;
    }

    /** Its region: the heap, kept in no field of its own. */
    RegionHeap region() {
        return (RegionHeap) heap;
    }

    /** How the block is dead: on its own, or {@link #FREED} by its generation's release; 0 if live. */
    int deathState() {
        RegionHeap r = region();
        if (generation != r.generation()) {
            return FREED;
        }
        return r.log.death(index);
    }

    /** Killed on its own by the region's thread: a single free or a reallocation. */
    void die(int how) {
        Tracker.record(this, deathEvent(how));
        region().log.setState(index, how);
    }

    /** Open views, on the region's thread; 0 once dead. */
    int openViews() {
        return deathState() != 0 ? 0 : region().log.state(index);
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
        return deathState() == 0;
    }

    /**
     * A slice of the generation's arena, made afresh on each call (so that a caller that does not
     * keep it costs no allocation once inlined). Valid until the release, a single free included:
     * the memory is never reused before the release, so a stale slice sees only this block's bytes.
     */
    @Override
    public MemorySegment segment() {
        check("segment");
        MemorySegment s = span;
        if (s == null) { // an object a listing made
            return region().spanFor(address, size);
        }
        return s.asSlice(address - s.address(), size);
    }

    @Override
    public BlockView open() {
        check("open");
        View v = new View(this);
        RegionHeap r = region();
        r.log.setState(index, r.log.state(index) + 1);
        r.viewOpened(1);
        return v;
    }

    @Override
    void closeView() {
        RegionHeap r = region();
        if (generation == r.generation()) { // a release waits for every view: this is always so
            r.log.setState(index, r.log.state(index) - 1);
        }
        r.viewOpened(-1);
    }

    /**
     * Checks only: a region block stays with the region's thread, its only possible owner, and its
     * segments stay valid until the release (a pool made over the region detaches its chunks).
     */
    @Override
    public void detach() {
        check("detach");
    }

    /** The region's thread, always. */
    @Override
    public Thread owner() {
        return region().owner();
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

    /** Kept by the region, so that every object of this block's entry agrees (see {@link RegionLog}). */
    @Override
    public void markNotALeak() {
        region().confined("markNotALeak");
        region().canonical(this).setNotALeak();
        setNotALeak();
    }

    /** On any thread: read only. */
    @Override
    boolean notALeak() {
        RegionHeap r = region();
        RegionBlock c = generation == r.generation() ? r.log.keptAt(index) : null;
        return notALeakField() || c != null && c.notALeakField();
    }

    /** Equal to every other object of its entry: same region, generation and entry. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RegionBlock b && b.heap == heap && b.generation == generation && b.index == index;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(heap) * 31 + generation * 1_000_003 + index;
    }

    @Override
    public String toString() {
        return Errors.describe(this) + " (" + death(deathState()) + ")";
    }
}
