package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;
import dev.custody.scoped.Region;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * {@code levels}: the seed of a roguelike whose memory crept up across level regenerations, made
 * with custody's fixes: per-frame temporary storage and one pool per level released in one call.
 *
 * <p>Each cycle generates {@value #LEVELS_PER_CYCLE} levels with {@link LevelGenerator}, each from a
 * seed drawn from the run's seed, and records the figures after the last. A level has BSP rooms, a
 * maze, a cellular-automata cave, corridors, doors, torches, monsters, items and stairs. All of
 * the level's data (cells, rooms, BSP nodes, the entity lists grown by {@code reallocate}, the down
 * stairs' list) lives in a {@link Region} on libc ({@value #CHUNK} B chunks); every scratch array
 * (flood-fill stacks, automaton grids, edge lists, corridor paths, the walk's queue and distances) lives
 * on a {@link Frame}, and {@link Frames#reset()} ends each level as the seed's
 * {@code reset_temporary_storage()}. Before the release, the down stairs' list is transferred out to
 * libc (the seed's {@code down_stairs}, the generator's return value); it is freed when the next
 * level's list replaces it.
 *
 * <p>Figures per cycle, after the release. Exact: the region's live bytes (0) and held bytes (0),
 * libc's live bytes tagged {@code region-chunks} (0) and {@code stairs} (one list, {@value #STAIRS_BYTES}
 * B), this thread's frame depth (0) and frame stack (the kept 64 KiB base). Witnesses: the level's peak
 * live bytes in the region before the release (the seed's per-level memory budget; it counts a growing
 * list's old and new storage, both held until the release, and varies from level to level with the BSP's
 * node count and the lists' growth: 5,784 to 8,504 B over 3,000 levels measured, so the tolerance is
 * {@value #PEAK_TOLERANCE} B), the region's chunk bytes before the release (every level measured fits
 * one chunk; tolerance {@value #CHUNKS_TOLERANCE} B), and the process witnesses of {@link Witnesses}:
 * glibc {@code mallinfo2} in-use bytes, less the JVM's own mallocs when NMT is on (tolerance 4 MiB),
 * mimalloc's committed bytes, and the native RSS (tolerance 32 MiB). A level takes well under a millisecond once compiled, and the JIT
 * keeps compiling the generator for about the first 200 (its compile time measured: 0.5 s after one
 * level, 1.9 s after 200, 3.2 s after 2,500), so {@value #WARMUP} unrecorded levels run first; after
 * that mallinfo2 still swings by 3 to 5 MB over a few hundred levels in this JVM (G1, C2), with nothing
 * live in custody's books, unlike in the quiet JVM of the tests, where 200 levels move it by under
 * 50 KB. So a cycle is {@value #LEVELS_PER_CYCLE} levels, which spreads a run over more of those swings:
 * with one level a cycle, one soak run of five came out GROWING (mallinfo2 +5.6 MB); with four, eight of
 * eight were STABLE. The region's chunks are malloc'd, but a level leaked each cycle (one 16 KiB
 * chunk) passes that tolerance only in runs of about 400 cycles (the medians of the thirds are two
 * thirds of the run apart): the exact figures are what see it, at once. Every level is also checked:
 * the release killed exactly the blocks the books held live, every floor cell is reachable from the up
 * stairs, and every down stairs is joined to it.
 *
 * <p>With {@code --inject-leak levels[:BYTES]}, each cycle also keeps a stairs' list of BYTES on libc,
 * tagged {@code stairs}, and never frees it until the run ends: {@code libc/stairs B} grows.
 *
 * <p>With {@code --demo-mistake} the first level also makes the seed's two pointer mistakes: a segment
 * of the torches' list kept across its growth by {@code reallocate}, and a segment of the cells kept
 * across the region's release. In a region the unit of freeing is the release (Law 3): until then
 * the torches' old segment sees only the old list's own bytes (its memory is never reused before the
 * release), and from the release on both are refused on access with {@link IllegalStateException}.
 *
 * <p>Cycles: {@code options.cycles()} when positive, else {@value #DEFAULT_CYCLES}, or
 * {@value #SOAK_CYCLES} in the soak tier.
 */
final class LevelsScenario implements Scenario {
    static final int DEFAULT_CYCLES = 20;
    static final int SOAK_CYCLES = 200;
    /** Levels generated before the first recorded cycle, while the JIT compiles the generator. */
    static final int WARMUP = 200;
    /** Levels generated per cycle; the cycle's figures are the last one's. */
    static final int LEVELS_PER_CYCLE = 4;
    static final long CHUNK = 16 * 1024;
    static final long STAIRS_BYTES = Level.DOWN_STAIRS_BYTES;
    static final long PEAK_TOLERANCE = 4096;
    static final long CHUNKS_TOLERANCE = CHUNK;
    private static final long RSS_TOLERANCE = 32L << 20;
    private static final Tag REGION_CHUNKS = Tag.of("region-chunks");

    @Override
    public String name() {
        return "levels";
    }

    @Override
    public String summary() {
        return "a dungeon generator: level data in a region released once per regeneration, scratch arrays on "
                + "frames, the stairs' list transferred out to libc";
    }

    @Override
    public void run(StressOptions options, CycleLog log) {
        int cycles = options.cyclesOr(DEFAULT_CYCLES, SOAK_CYCLES);
        Heap libc = Heaps.libc();
        List<Block> leaked = new ArrayList<>();
        try (Levels levels = new Levels(new SplittableRandom(options.seed()), log);
             StressOptions.Restore tracking = options.track(libc, levels.region)) {
            Witnesses.notes(log);
            for (int w = 0; w < WARMUP; w++) {
                levels.regenerate(false);
            }
            long floor = 0;
            for (int c = 1; c <= cycles; c++) {
                log.begin(c);
                Generated g = levels.regenerate(options.demoMistake() && c == 1);
                for (int i = 1; i < LEVELS_PER_CYCLE; i++) {
                    g = levels.regenerate(false);
                }
                floor += g.floor();
                if (options.leakPerCycle(name()) > 0) {
                    leaked.add(keepStairs(libc, options.leakPerCycle(name())));
                }
                log.exact("levels live B", levels.region.stats().total().liveBytes());
                log.exact("levels held B", levels.region.heldBytes());
                log.books(libc, REGION_CHUNKS);
                log.books(libc, Level.STAIRS);
                log.exact("frame depth", Frames.depth());
                log.exact("frames held B", Frames.heldBytes());
                log.witness("level peak B", g.peak(), PEAK_TOLERANCE);
                log.witness("level chunks B", g.held(), CHUNKS_TOLERANCE);
                Witnesses.record(log, RSS_TOLERANCE);
                log.end();
            }
            log.note(WARMUP + " + " + cycles * LEVELS_PER_CYCLE + " levels generated (" + floor
                    + " floor cells in the recorded ones); "
                    + "region lifetime peak " + levels.region.stats().total().peakBytes() + " B; frames peak "
                    + Frames.peakBytes() + " B of scratch");
        } finally {
            Witnesses.freeInjected(leaked, log);
        }
    }

    /**
     * The injected leak ({@code --inject-leak levels}): a stairs' list of {@code bytes} kept on libc
     * and never freed, as a generator would that forgot to free the previous level's list.
     */
    private static Block keepStairs(Heap libc, long bytes) {
        Block b = libc.allocate(bytes, Level.STAIRS);
        b.segment().fill((byte) 1);
        return b;
    }

    /** What a cycle's level left to record: its passable cells, the region's peak and chunks before the release. */
    record Generated(int floor, long peak, long held) {
    }

    /** The generator's state across levels: the region and the last level's stairs, moved out of it. */
    private static final class Levels implements AutoCloseable {
        final Region region = Heaps.region("levels", Heaps.libc(), CHUNK);
        private final SplittableRandom random;
        private final CycleLog log;
        private Block stairs;

        Levels(SplittableRandom random, CycleLog log) {
            this.random = random;
            this.log = log;
        }

        /** Generates a level, checks it, moves its stairs out (freeing the previous level's), releases the region. */
        Generated regenerate(boolean demo) {
            Level level = new LevelGenerator(region, random.nextLong()).generate();
            int floor = check(level);
            MemorySegment keptTorches = demo ? keepAcrossGrowth(level.torches(), log) : null;
            MemorySegment keptCells = demo ? level.cells() : null;
            Generated g = new Generated(floor, region.peakBytes(), region.heldBytes());
            long live = region.stats().total().liveBlocks() - 1; // all but the stairs stay in the region
            Block previous = stairs;
            stairs = region.transfer(level.downStairsList(), Heaps.libc());
            if (previous != null) {
                previous.free();
            }
            Frames.reset();
            int killed = region.release();
            if (killed != live) {
                log.fail("the release killed " + killed + " blocks; the books held " + live);
            }
            if (keptCells != null) {
                expectRefused(keptTorches, "a pointer into the torches' list kept across its growth, after the"
                        + " region's release", "the region's release closed the old list's scope", log);
                expectRefused(keptCells, "reading the level's cells after the region's release",
                        "the region's release closed the segment's scope", log);
            }
            return g;
        }

        /** Fails the cycle unless every floor cell is reachable from the up stairs; returns the floor cells. */
        private int check(Level level) {
            int[] down = level.downStairs();
            LevelSurvey.Walk walk = LevelSurvey.walk(level, level.upStairs(), down);
            if (!walk.reachesAll()) {
                log.fail(walk.reached() + " of " + walk.passable() + " floor cells are reachable from the up stairs");
            }
            for (int i = 0; i < down.length; i++) {
                if (walk.steps()[i] < 0) {
                    log.fail("down stairs " + i + " is not joined to the up stairs");
                }
            }
            return walk.passable();
        }

        /** Whatever a failure left: open frames, a live level, the last stairs, this thread's stack. */
        @Override
        public void close() {
            Frames.reset();
            try {
                if (region.stats().total().liveBlocks() > 0) {
                    region.release();
                }
                region.close();
            } finally {
                if (stairs != null && stairs.isLive()) {
                    stairs.free();
                }
                Frames.release();
            }
        }
    }

    /**
     * The seed's growing array: a segment of the torches' list kept while the list grows by
     * reallocate. Until the release it must still read the old list's own first record, never
     * another block's bytes.
     *
     * @return the stale segment, for the check after the release
     */
    private static MemorySegment keepAcrossGrowth(EntityList torches, CycleLog log) {
        MemorySegment before = torches.segment();
        byte first = before.get(JAVA_BYTE, 0);
        int capacity = torches.capacity();
        while (torches.capacity() == capacity) {
            torches.add(0, 0, Entity.TORCH); // on the border wall: the demo's level is not printed
        }
        if (before.get(JAVA_BYTE, 0) != first) {
            log.fail("--demo-mistake: the torches' old storage changed before the release");
        } else {
            log.note("--demo-mistake: a pointer into the torches' list kept across its growth still sees the old"
                    + " list only: its memory waits for the release");
        }
        return before;
    }

    /**
     * One of the seed's pointer mistakes, made: a read through a stale segment, which must throw.
     * The JDK's own message is a bare "Already closed", so the note says what closed it.
     */
    private static void expectRefused(MemorySegment stale, String mistake, String why, CycleLog log) {
        try {
            stale.get(JAVA_BYTE, 0);
            log.fail("--demo-mistake: " + mistake + " was not refused");
        } catch (IllegalStateException e) {
            log.refused("--demo-mistake: " + mistake + " is refused before it reads freed memory: " + why
                    + ", so the JDK threw " + e.getClass().getSimpleName() + " (\"" + e.getMessage() + "\")");
        }
    }
}
