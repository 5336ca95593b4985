/**
 * Native allocators as heaps: the shapes of a library's allocate and free functions
 * ({@link dev.custody.nativeheap.NativeHeapBuilder}, {@link dev.custody.nativeheap.SizeType}),
 * and {@link dev.custody.nativeheap.NativeAllocator}, the interface of any allocator of your own,
 * which {@link dev.custody.Heaps#of(String, dev.custody.nativeheap.NativeAllocator)} turns into a
 * heap with all of custody's checks and books.
 */
package dev.custody.nativeheap;
