package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.Tag;

import java.lang.foreign.MemorySegment;

/**
 * A region whose memory is chunks allocated on a parent heap, all freed at the release. A block
 * too big for a chunk gets a chunk of its own, and the current chunk stays in use. Each chunk is
 * reinterpreted once into the generation's arena; blocks are slices of it. The chunks' ranges are
 * in the registry (Law 4), the chunks themselves are blocks of the parent held by the region.
 */
final class ChunkedRegion extends RegionHeap {
    /** The tag of region chunks in the parent's books. */
    static final Tag CHUNKS = Tag.of("region-chunks");

    private final Chunks chunks;
    private final long chunkSize;
    /** The free part of the current chunk: [cursor, limit); both 0 before the first chunk. */
    private long cursor;
    private long limit;
    /** The current chunk, in the generation's arena; null before the first chunk. */
    private MemorySegment current;

    ChunkedRegion(String name, Heap parent, long chunkSize) {
        if (chunkSize < 4 * Chunks.HEADER) {
            throw new IllegalArgumentException("chunk size of region '" + name + "' must be at least "
                    + 4 * Chunks.HEADER + " B: " + chunkSize);
        }
        this.chunkSize = chunkSize;
        java.util.Objects.requireNonNull(parent, "parent");
        super(name, ABSURD); // validated first: a refused region never exists as a heap
        this.chunks = new Chunks(parent, CHUNKS, name, this, "region '" + name + "'");
    }

    @Override
    long carve(long bytes, long alignment, Tag tag, long size) {
        long at = alignUp(cursor, alignment);
        if (cursor != 0 && bytes <= limit - at) {
            cursor = at + bytes;
            MemorySegment c = current;
            if (carvedIn != c) { // after an oversize block only: no reference store per block
                carvedIn = c;
            }
            return at;
        }
        return carveInNewChunk(bytes, alignment, tag, size);
    }

    /** The current chunk is full, or there is none yet, or the block is too big for one. */
    private long carveInNewChunk(long bytes, long alignment, Tag tag, long size) {
        // Chunks are 16-aligned: the first block needs at most alignment - 16 bytes of padding.
        long need = Chunks.HEADER + bytes + alignment - MIN_ALIGN;
        if (need > chunkSize) {
            long big = chunks.allocate(need, tag, size);
            carvedIn = MemorySegment.ofAddress(big).reinterpret(need, arena(), null);
            return alignUp(big + Chunks.HEADER, alignment);
        }
        long c = chunks.allocate(chunkSize, tag, size);
        current = MemorySegment.ofAddress(c).reinterpret(chunkSize, arena(), null);
        limit = c + chunkSize;
        long at = alignUp(c + Chunks.HEADER, alignment);
        cursor = at + bytes;
        carvedIn = current;
        return at;
    }

    @Override
    void giveBack() {
        cursor = 0;
        limit = 0;
        current = null;
        chunks.freeAll();
    }

    @Override
    void giveBackForGood() {
        giveBack();
    }

    @Override
    void keepForGood() {
        chunks.keepForGood();
    }

    @Override
    public long heldBytes() {
        return chunks.bytes();
    }

    @Override
    public String toString() {
        return "region '" + name + "' (chunks of " + chunkSize + " B on '" + chunks.parent().name() + "')";
    }
}
