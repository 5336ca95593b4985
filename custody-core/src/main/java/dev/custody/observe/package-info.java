/**
 * Observability: a JMX {@link dev.custody.observe.HeapMXBean} per heap
 * ({@code dev.custody:type=Heap,name=NAME}), and {@link dev.custody.observe.ProcessMemory}, the
 * witnesses that are not custody's own books (glibc's {@code mallinfo2()}, mimalloc's process
 * info, the resident set).
 *
 * <p>custody-core's JFR events are {@code dev.custody.Allocation} (a tracked block's allocation,
 * with its stack trace), {@code dev.custody.Free}, {@code dev.custody.Misuse} (with the user's
 * frame in {@code site}), {@code dev.custody.Leak}, and the periodic {@code dev.custody.Books}, one
 * event per heap and tag, every second unless the recording sets another period
 * ({@code dev.custody.Books#period=10s}). Addresses are {@code @MemoryAddress}, so that
 * {@code jfr print} and Mission Control show them in hex. {@code custody report FILE.jfr}
 * summarises them.
 */
package dev.custody.observe;
