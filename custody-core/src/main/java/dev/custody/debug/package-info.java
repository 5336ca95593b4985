/**
 * Debug heaps: custody checks the memory itself, not only the calls.
 *
 * <ul>
 *   <li>{@link dev.custody.debug.DebugHeaps#poisoning}: 16 canary bytes on each side of every
 *       block, checked at its free (an overrun throws {@link
 *       dev.custody.debug.HeapCorruptionException} there); freed blocks poisoned and held in a
 *       bounded quarantine, checked as they leave it (a write after free is reported to a {@link
 *       dev.custody.debug.CorruptionListener}, a JFR {@code dev.custody.Misuse} event, and thrown by
 *       {@link dev.custody.debug.DebugHeap#verify()} and {@link dev.custody.debug.DebugHeap#close()});
 *       raw-address double frees of quarantined addresses throw {@link
 *       dev.custody.DoubleFreeException}.</li>
 *   <li>{@link dev.custody.debug.DebugHeaps#guarded}: every block on its own pages against a
 *       {@code PROT_NONE} guard page, freed pages made {@code PROT_NONE}: an overrun or a use after
 *       free faults at the faulting instruction and kills the JVM. A {@code MAP_SHARED} ring file
 *       ({@link dev.custody.debug.GuardRing}) keeps the last events for the post-mortem. Within a
 *       budget of mappings, sampling past it.</li>
 * </ul>
 *
 * <p>Tracking levels ({@link dev.custody.Tracking}) are a setting of every heap, debug or not: a
 * debug heap starts with its base heap's level, and its reports carry the allocation and free
 * sites when the block is tracked.
 *
 * <p>A debug heap is a wrapper chosen once: the base heap and every other heap keep their code
 * with no debug branch, so choosing debug heaps in tests costs production nothing.
 *
 * <p><b>Cost</b>, measured with {@code dev.custody.bench.debug.DebugHeapBenchmark} (allocate, one
 * 8-byte write, free; JMH average time, 1 fork, 3 × 1 s warmup, 5 × 1 s measurement, Temurin 25,
 * 2 shared cores under load from other work, so about ±15 %):
 * <table>
 *   <caption>ns per allocate-write-free</caption>
 *   <tr><th>size</th><th>libc</th><th>poisoning</th><th>guarded</th></tr>
 *   FIGURES
 * </table>
 * Poisoning costs the fill at free and the check at eviction, both vectorised, plus a lock and a
 * hash map: a few times the plain heap, fine for tests and debug builds. Guarded blocks cost four
 * system calls each and a page of address space, so they suit a hunt for one bug, not a test suite
 * that allocates millions of blocks.
 */
package dev.custody.debug;
