package dev.custody.internal;

/**
 * Where a debug block's memory really lies: the whole allocation or mapping, and the canary bytes
 * on each side of the block.
 *
 * @param inner the base heap's block holding the memory, or null for a guarded mapping
 * @param start the first byte of the allocation or mapping
 * @param length its length in bytes (for a mapping, the guard page included)
 * @param front canary bytes just before the block
 * @param tail canary bytes just after the block
 */
record DebugLayout(BlockImpl inner, long start, long length, long front, long tail) {
    boolean guarded() {
        return inner == null;
    }
}
