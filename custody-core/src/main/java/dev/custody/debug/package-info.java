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
 * 8-byte write, free, one thread; JMH, 1 fork, 3 × 1 s warmup, 5 × 1 s measurement, Temurin 25, on
 * 2 cores shared with other work at a load average of 10-12, CPU ns per cycle; see {@code
 * custody-bench/RESULTS.md}, which also has a plain loop's best-of figures: poisoning 205-209 ns
 * against libc's 52-55 at 64 B):
 * <table>
 *   <caption>CPU ns per allocate-write-free, and the ratio to libc</caption>
 *   <tr><th>size</th><th>libc</th><th>poisoning</th><th>guarded</th></tr>
 *   <tr><td>64 B</td><td>96</td><td>367 (3.8×)</td><td>18 114 (189×)</td></tr>
 *   <tr><td>4 KiB</td><td>106</td><td>1 614 (15×)</td><td>20 486 (194×)</td></tr>
 * </table>
 * Poisoning costs the canary fills, the poison fill at free and, in the steady state, the check of
 * the block leaving the quarantine (word by word up to 128 B, vectorised beyond, so it grows with
 * the size, on memory that has left the caches), plus the quarantine's lock and the books of two
 * heaps: fine for tests and debug builds. A guarded block costs
 * four system calls ({@code mmap}, two {@code mprotect}, {@code munmap}) and two pages of address
 * space, so guarded heaps suit the hunt for one bug, or sampling, not a test suite that allocates
 * millions of blocks. The plain heaps are unchanged: the debug modes add no branch to them.
 */
package dev.custody.debug;
