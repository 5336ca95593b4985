/**
 * Scoped heaps: {@link dev.custody.scoped.Region} (a pool released in one call),
 * {@link dev.custody.scoped.Slab} (blocks of one size), and {@link dev.custody.scoped.Frame}s,
 * per-thread temporary storage pushed and popped through {@link dev.custody.scoped.Frames}.
 * They obey the same laws as every heap; a pool's chunks are the pool's, and its parent neither
 * frees them nor reports them as its leaks.
 */
package dev.custody.scoped;
