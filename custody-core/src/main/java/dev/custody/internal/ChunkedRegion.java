package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.Tag;

/**
 * A region whose memory is chunks allocated on a parent heap, all freed at the release. A block
 * too big for a chunk gets a chunk of its own, and the current chunk stays in use.
 */
final class ChunkedRegion extends RegionHeap {
    /** The tag of region chunks in the parent's books. */
    static final Tag CHUNKS = Tag.of("region-chunks");

    private final Chunks chunks;
    private final long chunkSize;
    /** The free part of the current chunk: [cursor, limit); both 0 before the first chunk. */
    private long cursor;
    private long limit;

    ChunkedRegion(String name, Heap parent, long chunkSize) {
        if (chunkSize < 4 * Chunks.HEADER) {
            throw new IllegalArgumentException("chunk size of region '" + name + "' must be at least "
                    + 4 * Chunks.HEADER + " B: " + chunkSize);
        }
        this.chunkSize = chunkSize;
        this.chunks = new Chunks(parent, CHUNKS, name);
        super(name); // validated first: a refused region never exists as a heap
    }

    @Override
    long carve(long bytes, long alignment, Tag tag, long size) {
        long at = alignUp(cursor, alignment);
        if (cursor != 0 && bytes <= limit - at) {
            cursor = at + bytes;
            return at;
        }
        // Chunks are 16-aligned: the first block needs at most alignment - 16 bytes of padding.
        long need = Chunks.HEADER + bytes + alignment - MIN_ALIGN;
        if (need > chunkSize) {
            return alignUp(chunks.allocate(need, tag, size) + Chunks.HEADER, alignment);
        }
        long c = chunks.allocate(chunkSize, tag, size);
        limit = c + chunkSize;
        at = alignUp(c + Chunks.HEADER, alignment);
        cursor = at + bytes;
        return at;
    }

    @Override
    void giveBack() {
        chunks.freeAll();
        cursor = 0;
        limit = 0;
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
