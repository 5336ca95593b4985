package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.observe.ProcessMemory;
import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;
import dev.custody.scoped.Region;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@code levels}: the seed of a roguelike whose memory crept up across level regenerations, made
 * with custody's fixes: per-frame temporary storage and one pool per level released in one call.
 *
 * <p>Each cycle generates a {@value Dungeon#W} x {@value Dungeon#H} dungeon: rooms joined by
 * corridors, cellular-automata caves on the east side, a flood fill that connects or walls in every
 * cave pocket, up and down stairs, and a breadth-first path between the up stairs and the first down
 * stairs. The level data (cells, rooms, a features list grown by {@code reallocate}, the down stairs'
 * list) lives in a {@link Region} on libc ({@value #CHUNK} B chunks). Every scratch array (flood-fill
 * stacks, component marks, automaton grids, corridor paths, the reachable list, the path search's
 * queue and parents) lives on a {@link Frame}, and {@link Frames#reset()} ends each cycle as the
 * seed's {@code reset_temporary_storage()}. Before the release, the down stairs' list is transferred
 * out to libc (the seed's {@code down_stairs}, the generator's return value); it is freed when the next
 * level's list replaces it.
 *
 * <p>Figures per cycle, after the release. Exact: the region's live bytes (0) and held bytes (0),
 * libc's live bytes tagged {@code region-chunks} (0) and {@code stairs} (one list, {@value #STAIRS_BYTES}
 * B), this thread's frame depth (0) and frame stack (the kept 64 KiB base). Witnesses: the level's peak
 * live bytes in the region before the release (the seed's per-level memory budget; it varies only with
 * the features list, whose capacity is at most {@value Dungeon#MAX_FEATURES} entries of 8 B, so the
 * tolerance is {@value #PEAK_TOLERANCE} B; the peak counts a growing list's old and new storage, both
 * held until the release), the region's chunk bytes before the release (tolerance one chunk,
 * {@value #CHUNK} B), glibc {@code mallinfo2} in-use bytes (tolerance 4 MiB) and RSS (tolerance
 * 32 MiB). Measured with seed 1: under {@code -Xint} mallinfo2 stays within 0.4 MB over 30 cycles,
 * while with the JIT it climbs about 11 MB over the first 20 levels (C2 compiling the generator) and
 * then wanders by about 3 MB; so {@value #WARMUP} unrecorded levels run first. The region's chunks are
 * malloc'd, but a level leaked each cycle (one 16 KiB chunk) passes that tolerance only after about
 * 260 cycles: the exact figures are what see it, at once. Each cycle also checks that the release killed exactly the blocks the books held live, that every
 * floor cell is reachable from the up stairs, and that a path joins the stairs.
 *
 * <p>With {@code --demo-mistake} the first level also makes the seed's two pointer mistakes: a segment
 * of the features list kept across its growth by {@code reallocate}, and a segment of the cells kept
 * across the region's release. Both are refused on access with {@link IllegalStateException}.
 *
 * <p>Cycles: {@code options.cycles()} when positive, else {@value #DEFAULT_CYCLES}, or
 * {@value #SOAK_CYCLES} in the soak tier.
 */
final class LevelsScenario implements Scenario {
    static final int DEFAULT_CYCLES = 20;
    static final int SOAK_CYCLES = 200;
    /** Levels generated before the first recorded cycle, while the JIT compiles the generator. */
    static final int WARMUP = 20;
    static final long CHUNK = 16 * 1024;
    static final int STAIRS = 4;
    static final long STAIRS_BYTES = STAIRS * 8L;
    static final long PEAK_TOLERANCE = 2L * Dungeon.MAX_FEATURES * 8;
    private static final long MALLINFO_TOLERANCE = 4L << 20;
    private static final long RSS_TOLERANCE = 32L << 20;
    private static final Tag CELLS = Tag.of("level-cells");
    private static final Tag ROOMS = Tag.of("level-rooms");
    private static final Tag FEATURES = Tag.of("level-features");
    private static final Tag STAIRS_TAG = Tag.of("stairs");
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
        try (Levels levels = new Levels(new SplittableRandom(options.seed()), log)) {
            if (!ProcessMemory.singleArena()) {
                log.note("MALLOC_ARENA_MAX is not 1: mallinfo2 sees only glibc's main arena, so it witnesses little");
            }
            for (int w = 0; w < WARMUP; w++) {
                levels.regenerate(false);
            }
            long floor = 0;
            for (int c = 1; c <= cycles; c++) {
                log.begin(c);
                Dungeon d = levels.regenerate(options.demoMistake() && c == 1);
                floor += d.floor;
                log.exact("levels live B", levels.region.stats().total().liveBytes());
                log.exact("levels held B", levels.region.heldBytes());
                log.exact("libc/region-chunks B", libc.stats().tag(REGION_CHUNKS).liveBytes());
                log.exact("libc/stairs B", libc.stats().tag(STAIRS_TAG).liveBytes());
                log.exact("frame depth", Frames.depth());
                log.exact("frames held B", Frames.heldBytes());
                log.witness("level peak B", d.peak, PEAK_TOLERANCE);
                log.witness("level chunks B", d.held, CHUNK);
                log.witness("mallinfo2 B", ProcessMemory.mallinfoInUse(), MALLINFO_TOLERANCE);
                log.witness("rss B", ProcessMemory.rss(), RSS_TOLERANCE);
                log.end();
            }
            log.note(WARMUP + " + " + cycles + " levels generated (" + floor + " floor cells in the recorded ones); "
                    + "region lifetime peak " + levels.region.stats().total().peakBytes() + " B; frames peak "
                    + Frames.peakBytes() + " B of scratch");
        }
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

        /** Generates a level, moves its stairs out (freeing the previous level's), and releases the region. */
        Dungeon regenerate(boolean demo) {
            Dungeon d = new Dungeon(region, random, demo, log);
            d.generate();
            d.peak = region.peakBytes();
            d.held = region.heldBytes();
            long live = region.stats().total().liveBlocks() - 1; // all but the stairs stay in the region
            Block previous = stairs;
            stairs = region.transfer(d.stairs, Heaps.libc());
            if (previous != null) {
                previous.free();
            }
            Frames.reset();
            int killed = region.release();
            if (killed != live) {
                log.fail("the release killed " + killed + " blocks, the books held " + live);
            }
            if (d.keptCells != null) {
                touchAfterRelease(d.keptCells, log);
            }
            return d;
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

    /** The seed's dangling pointer: level data read after the pool was released. */
    private static void touchAfterRelease(MemorySegment cells, CycleLog log) {
        try {
            cells.get(JAVA_BYTE, 0);
            log.fail("--demo-mistake: a segment of the released level could still be read");
        } catch (IllegalStateException e) {
            log.note("--demo-mistake: reading the level's cells after the region's release is refused: "
                    + e.getMessage());
        }
    }

    /** One level: data in the region, scratch on frames. */
    static final class Dungeon {
        static final int W = 120;
        static final int H = 80;
        static final int N = W * H;
        static final int MAX_ROOMS = 16;
        static final int MAX_FEATURES = 64;
        static final byte WALL = 0;
        static final byte FLOOR = 1;
        static final byte CORRIDOR = 2;
        static final byte UP = 3;
        static final byte DOWN = 4;
        static final byte PATH = 5;
        /** Cave pockets smaller than this are walled in; larger ones get a corridor. */
        static final int MIN_POCKET = 20;
        private static final int[] DX = {1, -1, 0, 0};
        private static final int[] DY = {0, 0, 1, -1};

        private final Region region;
        private final SplittableRandom random;
        private final boolean demo;
        private final CycleLog log;
        private Block cells;
        private Block rooms;
        private Block features;
        private int roomCount;
        private int featureCount;
        Block stairs;
        int floor;
        long peak;
        long held;
        /** With the demo: a segment of the cells kept past the release. */
        MemorySegment keptCells;

        Dungeon(Region region, SplittableRandom random, boolean demo, CycleLog log) {
            this.region = region;
            this.random = random;
            this.demo = demo;
            this.log = log;
        }

        void generate() {
            cells = region.allocateZeroed(N, CELLS); // all WALL
            rooms = region.allocate(MAX_ROOMS * 16L, ROOMS);
            features = region.allocate(4 * 8L, FEATURES);
            placeRooms();
            for (int i = 1; i < roomCount; i++) {
                corridor(center(i - 1), center(i));
            }
            caves();
            connect();
            int up = center(0);
            cells.segment().set(JAVA_BYTE, up, UP);
            placeDownStairs(up);
            int length = path(up, stairs.segment().get(JAVA_INT, 0) + W * stairs.segment().get(JAVA_INT, 4));
            if (length < 0) {
                log.fail("no path between the stairs");
            }
            if (demo) {
                keptCells = cells.segment();
            }
        }

        private MemorySegment cells() {
            return cells.segment();
        }

        private void placeRooms() {
            MemorySegment r = rooms.segment();
            for (int attempt = 0; attempt < 60 && roomCount < MAX_ROOMS; attempt++) {
                int w = random.nextInt(4, 13);
                int h = random.nextInt(4, 11);
                int x = random.nextInt(1, W * 2 / 3 - w);
                int y = random.nextInt(1, H - h - 1);
                if (overlaps(r, x, y, w, h)) {
                    continue;
                }
                long at = roomCount * 16L;
                r.set(JAVA_INT, at, x);
                r.set(JAVA_INT, at + 4, y);
                r.set(JAVA_INT, at + 8, w);
                r.set(JAVA_INT, at + 12, h);
                roomCount++;
                for (int yy = y; yy < y + h; yy++) {
                    for (int xx = x; xx < x + w; xx++) {
                        cells().set(JAVA_BYTE, yy * W + xx, FLOOR);
                    }
                }
                addFeature(x + w / 2, y); // a torch on the north wall
            }
        }

        private boolean overlaps(MemorySegment r, int x, int y, int w, int h) {
            for (int i = 0; i < roomCount; i++) {
                int rx = r.get(JAVA_INT, i * 16L);
                int ry = r.get(JAVA_INT, i * 16L + 4);
                int rw = r.get(JAVA_INT, i * 16L + 8);
                int rh = r.get(JAVA_INT, i * 16L + 12);
                if (x <= rx + rw && rx <= x + w && y <= ry + rh && ry <= y + h) {
                    return true;
                }
            }
            return false;
        }

        /** Appends to the features list, growing it by reallocate: the seed's growing array. */
        private void addFeature(int x, int y) {
            if (featureCount * 8L == features.byteSize()) {
                MemorySegment before = features.segment();
                features = region.reallocate(features, Math.min(2 * features.byteSize(), MAX_FEATURES * 8L));
                if (demo && featureCount == 4) {
                    demoDanglingFeature(before);
                }
            }
            features.segment().set(JAVA_INT, featureCount * 8L, x);
            features.segment().set(JAVA_INT, featureCount * 8L + 4, y);
            featureCount++;
        }

        private void demoDanglingFeature(MemorySegment before) {
            try {
                before.get(JAVA_INT, 0);
                log.fail("--demo-mistake: a segment of the features list was readable after its reallocation");
            } catch (IllegalStateException e) {
                log.note("--demo-mistake: a pointer into the features list kept across its growth is refused: "
                        + e.getMessage());
            }
        }

        private int center(int room) {
            MemorySegment r = rooms.segment();
            int x = r.get(JAVA_INT, room * 16L) + r.get(JAVA_INT, room * 16L + 8) / 2;
            int y = r.get(JAVA_INT, room * 16L + 4) + r.get(JAVA_INT, room * 16L + 12) / 2;
            return y * W + x;
        }

        /** An L-shaped corridor; its path array is scratch on a frame. */
        private void corridor(int from, int to) {
            int x0 = from % W;
            int y0 = from / W;
            int x1 = to % W;
            int y1 = to / W;
            int length = Math.abs(x1 - x0) + Math.abs(y1 - y0) + 1;
            try (Frame f = Frames.push()) {
                MemorySegment path = f.allocate(length * 4L, 4);
                int n = 0;
                int x = x0;
                int y = y0;
                path.setAtIndex(JAVA_INT, n++, y * W + x);
                while (x != x1) {
                    x += Integer.signum(x1 - x);
                    path.setAtIndex(JAVA_INT, n++, y * W + x);
                }
                while (y != y1) {
                    y += Integer.signum(y1 - y);
                    path.setAtIndex(JAVA_INT, n++, y * W + x);
                }
                for (int i = 0; i < n; i++) {
                    int c = path.getAtIndex(JAVA_INT, i);
                    if (cells().get(JAVA_BYTE, c) == WALL) {
                        cells().set(JAVA_BYTE, c, CORRIDOR);
                    }
                }
            }
        }

        /** Cellular-automata caves in the east third; both grids are scratch on a frame. */
        private void caves() {
            int x0 = W * 2 / 3;
            try (Frame f = Frames.push()) {
                MemorySegment grid = f.allocate(N);
                MemorySegment next = f.allocate(N);
                grid.fill((byte) 1);
                for (int y = 1; y < H - 1; y++) {
                    for (int x = x0; x < W - 1; x++) {
                        grid.set(JAVA_BYTE, y * W + x, (byte) (random.nextInt(100) < 45 ? 1 : 0));
                    }
                }
                for (int step = 0; step < 4; step++) {
                    next.fill((byte) 1);
                    for (int y = 1; y < H - 1; y++) {
                        for (int x = x0; x < W - 1; x++) {
                            int walls = 0;
                            for (int dy = -1; dy <= 1; dy++) {
                                for (int dx = -1; dx <= 1; dx++) {
                                    walls += grid.get(JAVA_BYTE, (y + dy) * W + x + dx);
                                }
                            }
                            next.set(JAVA_BYTE, y * W + x, (byte) (walls >= 5 ? 1 : 0));
                        }
                    }
                    MemorySegment t = grid;
                    grid = next;
                    next = t;
                }
                for (int c = 0; c < N; c++) {
                    if (grid.get(JAVA_BYTE, c) == 0 && cells().get(JAVA_BYTE, c) == WALL) {
                        cells().set(JAVA_BYTE, c, FLOOR);
                    }
                }
            }
            corridor(center(roomCount - 1), (H / 2) * W + W - W / 6); // the rooms reach into the caves
        }

        /**
         * Flood fills from the first room; every pocket not reached is walled in when small, else
         * joined by a corridor (after the search, so that no corridor is taken for a pocket). Then
         * checks that every floor cell is reachable.
         */
        private void connect() {
            int start = center(0);
            try (Frame f = Frames.push()) {
                MemorySegment marks = f.allocate(N * 4L, 4);
                MemorySegment pockets = f.allocate((N / MIN_POCKET + 1) * 4L, 4);
                marks.fill((byte) 0);
                flood(start, marks, 1);
                int id = 2;
                int joined = 0;
                for (int c = 0; c < N; c++) {
                    if (open(c) && marks.getAtIndex(JAVA_INT, c) == 0) {
                        if (flood(c, marks, id) < MIN_POCKET) {
                            for (int k = 0; k < N; k++) {
                                if (marks.getAtIndex(JAVA_INT, k) == id) {
                                    cells().set(JAVA_BYTE, k, WALL);
                                }
                            }
                        } else {
                            pockets.setAtIndex(JAVA_INT, joined++, c);
                        }
                        id++;
                    }
                }
                for (int i = 0; i < joined; i++) {
                    corridor(pockets.getAtIndex(JAVA_INT, i), start);
                }
                marks.fill((byte) 0);
                int reached = flood(start, marks, 1);
                floor = 0;
                for (int c = 0; c < N; c++) {
                    floor += open(c) ? 1 : 0;
                }
                if (reached != floor) {
                    log.fail(reached + " of " + floor + " floor cells are reachable from the first room");
                }
            }
        }

        private boolean open(int c) {
            return cells().get(JAVA_BYTE, c) != WALL;
        }

        /** Marks the open cells reachable from {@code start} with {@code id}; the stack is scratch. */
        private int flood(int start, MemorySegment marks, int id) {
            try (Frame f = Frames.push()) {
                MemorySegment stack = f.allocate(N * 4L, 4);
                int top = 0;
                int count = 1;
                stack.setAtIndex(JAVA_INT, top++, start);
                marks.setAtIndex(JAVA_INT, start, id);
                while (top > 0) {
                    int c = stack.getAtIndex(JAVA_INT, --top);
                    for (int d = 0; d < 4; d++) {
                        int x = c % W + DX[d];
                        int y = c / W + DY[d];
                        int n = y * W + x;
                        if (x >= 0 && x < W && y >= 0 && y < H && open(n) && marks.getAtIndex(JAVA_INT, n) == 0) {
                            marks.setAtIndex(JAVA_INT, n, id);
                            stack.setAtIndex(JAVA_INT, top++, n);
                            count++;
                        }
                    }
                }
                return count;
            }
        }

        /** The down stairs: distinct reachable cells, listed in a block of the region. */
        private void placeDownStairs(int up) {
            stairs = region.allocate(STAIRS_BYTES, STAIRS_TAG);
            try (Frame f = Frames.push()) {
                MemorySegment floorCells = f.allocate(N * 4L, 4);
                int n = 0;
                for (int c = 0; c < N; c++) {
                    if (cells().get(JAVA_BYTE, c) == FLOOR) {
                        floorCells.setAtIndex(JAVA_INT, n++, c);
                    }
                }
                for (int i = 0; i < STAIRS; i++) {
                    int c = floorCells.getAtIndex(JAVA_INT, random.nextInt(n));
                    while (cells().get(JAVA_BYTE, c) != FLOOR) {
                        c = floorCells.getAtIndex(JAVA_INT, random.nextInt(n));
                    }
                    cells().set(JAVA_BYTE, c, DOWN);
                    stairs.segment().set(JAVA_INT, i * 8L, c % W);
                    stairs.segment().set(JAVA_INT, i * 8L + 4, c / W);
                }
            }
        }

        /** Breadth-first search; marks the path and returns its length, or -1. Queue and parents are scratch. */
        private int path(int from, int to) {
            try (Frame f = Frames.push()) {
                MemorySegment queue = f.allocate(N * 4L, 4);
                MemorySegment parent = f.allocate(N * 4L, 4);
                parent.fill((byte) -1);
                int head = 0;
                int tail = 0;
                queue.setAtIndex(JAVA_INT, tail++, from);
                parent.setAtIndex(JAVA_INT, from, from);
                while (head < tail) {
                    int c = queue.getAtIndex(JAVA_INT, head++);
                    if (c == to) {
                        int length = 0;
                        for (int p = parent.getAtIndex(JAVA_INT, c); p != from; p = parent.getAtIndex(JAVA_INT, p)) {
                            cells().set(JAVA_BYTE, p, PATH);
                            length++;
                        }
                        return length + 1;
                    }
                    for (int d = 0; d < 4; d++) {
                        int x = c % W + DX[d];
                        int y = c / W + DY[d];
                        int n = y * W + x;
                        if (x >= 0 && x < W && y >= 0 && y < H && open(n) && parent.getAtIndex(JAVA_INT, n) == -1) {
                            parent.setAtIndex(JAVA_INT, n, c);
                            queue.setAtIndex(JAVA_INT, tail++, n);
                        }
                    }
                }
                return -1;
            }
        }
    }
}
