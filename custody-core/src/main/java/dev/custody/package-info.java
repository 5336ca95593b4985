/**
 * Custody's model and API: heaps, blocks, tags and their books, and the exceptions of its laws.
 *
 * <p>Every {@link dev.custody.Block} belongs to exactly one {@link dev.custody.Heap}, and only
 * that heap frees it. A free through another heap throws {@link dev.custody.WrongHeapException}
 * and leaves the block live; a second free throws {@link dev.custody.DoubleFreeException} and never
 * reaches the allocator; a freed block's memory cannot be read from Java
 * ({@link dev.custody.UseAfterFreeException}); an address custody did not hand out never reaches
 * {@code free} ({@link dev.custody.UnknownBlockException}); closing a heap with live blocks throws
 * {@link dev.custody.LeakException} with a report. The books ({@link dev.custody.HeapStats},
 * {@link dev.custody.Figures}, {@link dev.custody.Snapshot}) are exact per heap and
 * {@link dev.custody.Tag}.
 *
 * <p>Start at {@link dev.custody.Heaps}: {@code Heaps.libc()}, {@code Heaps.library(...)} for a
 * library's allocator, {@code Heaps.region(...)} and {@code Heaps.slab(...)} for pools. Where a
 * block came from is recorded at the heap's {@link dev.custody.Tracking} level.
 */
package dev.custody;
