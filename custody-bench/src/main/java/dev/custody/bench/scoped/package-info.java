/**
 * JMH benchmarks of custody's scoped allocation: frames against the JDK's slicing allocator,
 * {@code BufferStack}'s arena-per-frame and LWJGL's {@code MemoryStack}; regions and flat regions,
 * filled and released whole, against a slicing allocator, one confined arena, and blocks freed one
 * by one on libc and by raw {@code malloc}.
 */
package dev.custody.bench.scoped;
