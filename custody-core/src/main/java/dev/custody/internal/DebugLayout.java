package dev.custody.internal;

/**
 * Where a debug block's memory really lies: the whole allocation or mapping, and the canary bytes
 * on each side of the block.
 *
 * @param source the base's memory source the allocation came from, or null
 * @param inner the base heap's block holding the memory, when the base has no source (a region,
 *     another debug heap); null otherwise
 * @param layout the source's layout of the allocation (see {@link MemorySource#layout})
 * @param start the first byte of the allocation or mapping
 * @param length its length in bytes (for a mapping, the guard page included)
 * @param front canary bytes just before the block
 * @param tail canary bytes just after the block
 */
record DebugLayout(MemorySource source, BlockImpl inner, int layout, long start, long length, long front, long tail) {
    /** A guarded mapping of the debug heap's own. */
    static DebugLayout mapping(long start, long length, long front, long tail) {
        return new DebugLayout(null, null, 0, start, length, front, tail);
    }

    boolean guarded() {
        return source == null && inner == null;
    }
}
