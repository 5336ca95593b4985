package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.observe.ProcessMemory;
import dev.custody.scoped.Region;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * A quiet JVM for the mallinfo2 witness of level regenerations: nothing but the generator runs.
 * Arguments: {@code levels N} (N regenerations, each in a region of its own, released and closed) or
 * {@code leak N} (the same, keeping one 16 KiB libc block per level: the negative control). Prints
 * {@code before=B after=A} in glibc in-use bytes, each read once the JVM has settled.
 */
public final class LevelsWitnessChild {
    private static final int WARMUP = 500;
    private static final Tag KEPT = Tag.of("witness-kept");

    private LevelsWitnessChild() {
    }

    public static void main(String[] args) {
        if (!ProcessMemory.singleArena()) {
            throw new IllegalStateException("the mallinfo2 witness needs MALLOC_ARENA_MAX=1");
        }
        int n = Integer.parseInt(args[1]);
        boolean leak = args[0].equals("leak");
        for (int i = 0; i < WARMUP; i++) { // the JIT and class loading malloc too
            regenerate(-1 - i);
        }
        long before = settled();
        List<Block> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            regenerate(i);
            if (leak) {
                kept.add(Heaps.libc().allocate(LevelsScenario.CHUNK, KEPT));
            }
        }
        long after = settled();
        System.out.println("before=" + before + " after=" + after);
        kept.forEach(Block::free);
    }

    private static void regenerate(long seed) {
        Region region = Heaps.region("witnessed-level", Heaps.libc(), LevelsScenario.CHUNK);
        new LevelGenerator(region, seed).generate();
        region.release();
        region.close();
    }

    /**
     * glibc in-use bytes once the JVM is quiet: the lowest of a few readings after a GC, once the JIT
     * has compiled nothing for five of them, then once more after 5.5 s, because HotSpot gives its
     * compilers' pooled arena chunks back to malloc every 5 s (as custody-core's witness does).
     */
    private static long settled() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long compiled = jit.getTotalCompilationTime();
        long best = Long.MAX_VALUE;
        for (int quiet = 0, i = 0; quiet < 5 && i < 100; i++) {
            System.gc();
            sleep(50);
            long c = jit.getTotalCompilationTime();
            quiet = c == compiled ? quiet + 1 : 0;
            compiled = c;
            best = quiet == 0 ? Long.MAX_VALUE : Math.min(best, ProcessMemory.mallinfoInUse());
        }
        sleep(5_500);
        System.gc();
        return Math.min(best, ProcessMemory.mallinfoInUse());
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
