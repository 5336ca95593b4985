package dev.custody;

import dev.custody.observe.ProcessMemory;

/**
 * glibc's mallinfo2 as an independent witness of custody's books. Exact only under
 * MALLOC_ARENA_MAX=1 (set by the build for every test JVM); the JVM's own mallocs share that arena,
 * so readings are taken once the JVM has settled and compared within a stated tolerance.
 */
final class Witness {
    /** The stated tolerance: JVM compiler arenas and symbol tables move by tens of KiB. */
    static final long TOLERANCE = 512 * 1024;

    private Witness() {
    }

    /** glibc in-use bytes once the JVM has settled: the lowest of a few readings after a GC. */
    static long settled() {
        if (!ProcessMemory.singleArena()) {
            throw new IllegalStateException("the mallinfo2 witness needs MALLOC_ARENA_MAX=1");
        }
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        long compiled = jit.getTotalCompilationTime();
        long best = Long.MAX_VALUE;
        for (int quiet = 0, i = 0; quiet < 5 && i < 100; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            long c = jit.getTotalCompilationTime();
            quiet = c == compiled ? quiet + 1 : 0; // the compiler threads malloc their arenas
            compiled = c;
            best = quiet == 0 ? Long.MAX_VALUE : Math.min(best, ProcessMemory.mallinfoInUse());
        }
        // HotSpot returns its compilers' pooled arena chunks to malloc every 5 s: wait for that too.
        try {
            Thread.sleep(5_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.gc();
        return Math.min(best, ProcessMemory.mallinfoInUse());
    }
}
