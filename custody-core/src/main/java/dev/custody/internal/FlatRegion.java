package dev.custody.internal;

import dev.custody.Tag;

import java.lang.foreign.MemorySegment;

/**
 * A region in one range of address space reserved with {@code mmap(PROT_NONE)} and committed with
 * {@code mprotect} as it grows, in steps of {@value #COMMIT_STEP} bytes: its blocks are contiguous
 * and it never moves (the seed's {@code Flat_Pool}). The release maps the committed part afresh as
 * inaccessible, which drops its pages and keeps the reservation, so the next level is carved at the
 * same addresses; close unmaps the reservation. The whole reservation is one segment of the
 * generation's arena, made at its first carve, and blocks are slices of it; its range is in the
 * registry (Law 4) for as long as it is mapped.
 */
final class FlatRegion extends RegionHeap {
    static final long COMMIT_STEP = 64 * 1024;

    private final long base;
    private final long reserved;
    /** Offset of the next free byte. */
    private long cursor;
    private volatile long committed;
    /** The reservation in the generation's arena; null until the generation's first carve. */
    private MemorySegment span;

    FlatRegion(String name, long reserveBytes) {
        if (reserveBytes <= 0 || reserveBytes > ABSURD) {
            throw new IllegalArgumentException("reservation of flat region '" + name + "' must be between 1 B and "
                    + ABSURD + " B: " + reserveBytes);
        }
        long r = alignUp(reserveBytes, Mman.PAGE);
        long b = Mman.reserve(r);
        if (b == 0) {
            throw Errors.failed(name, Tag.UNTAGGED, r, -1, "mmap could not reserve " + r + " B of address space");
        }
        this.reserved = r;
        this.base = b;
        super(name, r); // validated and reserved first: a refused region never exists as a heap
        Registry.addRange(b, r, "flat region '" + name + "'", this);
    }

    @Override
    long carve(long bytes, long alignment, Tag tag, long size) {
        long at = alignUp(base + cursor, alignment);
        if (bytes > base + reserved - at) {
            throw full(tag, size);
        }
        long end = at + bytes - base;
        MemorySegment s = span;
        if (end > committed || s == null) {
            s = grow(end, tag, size);
        }
        cursor = end;
        if (carvedIn != s) {
            carvedIn = s;
        }
        return at;
    }

    /** Commits up to {@code end} at least, and makes the generation's span on its first carve. */
    private MemorySegment grow(long end, Tag tag, long size) {
        long c = committed;
        if (end > c) {
            long grown = Math.min(reserved, alignUp(Math.max(end, c + COMMIT_STEP), Mman.PAGE));
            try {
                Mman.protect(base + c, grown - c, Mman.PROT_READ_WRITE);
            } catch (IllegalStateException e) {
                throw Errors.failed(name, tag, size, -1, "could not commit " + (grown - c) + " B more ("
                        + e.getMessage() + ")");
            }
            committed = grown;
        }
        MemorySegment s = span;
        if (s == null) {
            span = s = MemorySegment.ofAddress(base).reinterpret(reserved, arena(), null);
        }
        return s;
    }

    private RuntimeException full(Tag tag, long size) {
        return Errors.failed(name, tag, size, reserved, "its reservation of " + reserved + " B is full (" + cursor
                + " B carved)");
    }

    @Override
    void giveBack() {
        span = null;
        if (committed > 0) {
            Mman.decommit(base, committed);
        }
        committed = 0;
        cursor = 0;
    }

    @Override
    void giveBackForGood() {
        span = null;
        Registry.removeRange(base);
        Mman.unmap(base, reserved);
        committed = 0;
        cursor = 0;
    }

    /** The mapping stays; it is in no heap's books. */
    @Override
    void keepForGood() {
    }


    @Override
    public long heldBytes() {
        return committed;
    }

    @Override
    public String toString() {
        return "flat region '" + name + "' (" + reserved + " B reserved at 0x" + Long.toHexString(base) + ")";
    }
}
