package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.scoped.Frames;
import dev.custody.scoped.Region;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The level generator of seed 001 over many seeds ({@value #FAST_SEEDS} in the fast tier,
 * {@value #SOAK_SEEDS} in the soak tier): the level is connected, its things stand where they may,
 * it is a function of its seed, and all of it lives in the region and goes home at the release. In
 * the soak tier, 200 regenerations in a quiet child JVM leave glibc's mallinfo2 where it was.
 */
class LevelGeneratorTest {
    private static final boolean SOAK = "soak".equals(System.getProperty("custody.tier", "fast"));
    private static final int FAST_SEEDS = 100;
    private static final int SOAK_SEEDS = 2_000;
    private static final int SEEDS = SOAK ? SOAK_SEEDS : FAST_SEEDS;
    private static final Tag[] LEVEL_TAGS = {Level.CELLS, Level.ROOMS, Level.BSP, Level.TORCHES, Level.MONSTERS,
        Level.ITEMS, Level.DOORS, Level.STAIRS};

    private final Region region = Heaps.region("test-levels", Heaps.libc(), LevelsScenario.CHUNK);

    @AfterEach
    void releaseTheRegion() {
        Frames.reset();
        region.release();
        region.close();
        Frames.release();
    }

    /** Runs {@code check} on the level of every seed, releasing the region between levels. */
    private void forEachSeed(SeedCheck check) {
        for (long seed = 0; seed < SEEDS; seed++) {
            Level level = new LevelGenerator(region, seed).generate();
            check.accept(seed, level);
            region.release();
        }
    }

    @FunctionalInterface
    private interface SeedCheck {
        void accept(long seed, Level level);
    }

    @Test
    void everyFloorCellIsReachableFromTheUpStairs() {
        forEachSeed((seed, level) -> {
            LevelSurvey.Walk walk = LevelSurvey.walk(level, level.upStairs());
            assertThat(walk.reached()).as("seed %d", seed).isEqualTo(walk.passable()).isGreaterThan(500);
        });
    }

    @Test
    void theSurveySeesAPocketNoCorridorReaches() {
        // the negative control: a floor cell walled in on all sides must count as unreachable
        Level level = new LevelGenerator(region, 1).generate();
        int pocket = -1;
        for (int c = Level.W + 1; c < Level.N - Level.W - 1 && pocket < 0; c++) {
            pocket = rockAround(level, c) ? c : -1;
        }
        assertThat(pocket).as("a cell in solid rock").isPositive();
        int before = LevelSurvey.walk(level, level.upStairs()).passable();
        level.terrain(pocket, Level.FLOOR);
        LevelSurvey.Walk walk = LevelSurvey.walk(level, level.upStairs(), pocket);
        assertThat(walk.passable()).isEqualTo(before + 1);
        assertThat(walk.reached()).isEqualTo(before);
        assertThat(walk.reachesAll()).isFalse();
        assertThat(walk.steps()).containsExactly(-1);
    }

    private static boolean rockAround(Level level, int c) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (level.passable(c + dy * Level.W + dx)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void theStairsAreConnected() {
        forEachSeed((seed, level) -> {
            int[] down = level.downStairs();
            assertThat(level.terrain(level.upStairs())).isEqualTo(Level.UP);
            assertThat(count(level, Level.UP)).isEqualTo(1);
            assertThat(count(level, Level.DOWN)).as("seed %d: distinct down stairs", seed).isEqualTo(Level.DOWN_STAIRS);
            for (int d : down) {
                assertThat(level.terrain(d)).isEqualTo(Level.DOWN);
            }
            LevelSurvey.Walk walk = LevelSurvey.walk(level, level.upStairs(), down);
            assertThat(Arrays.stream(walk.steps()).min().orElseThrow())
                    .as("seed %d: steps from the up stairs to the nearest down stairs", seed).isPositive();
            // the first down stairs is the farthest floor: no floor cell lies further than it
            assertThat(walk.steps()[0]).isEqualTo(max(walk.steps()));
        });
    }

    private static int count(Level level, byte terrain) {
        int n = 0;
        for (int c = 0; c < Level.N; c++) {
            n += level.terrain(c) == terrain ? 1 : 0;
        }
        return n;
    }

    private static int max(int[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    @Test
    void monstersItemsAndDoorsStandOnFloorOneThingACell() {
        long[] totals = new long[4];
        forEachSeed((seed, level) -> {
            Set<Integer> taken = new HashSet<>();
            for (EntityList list : List.of(level.monsters(), level.items())) {
                for (int i = 0; i < list.size(); i++) {
                    int c = Level.cell(list.x(i), list.y(i));
                    assertThat(level.terrain(c)).as("seed %d: %s at %d", seed, list.entity(i), c)
                            .isEqualTo(Level.FLOOR);
                    assertThat(taken.add(c)).as("seed %d: one thing at %d", seed, c).isTrue();
                }
            }
            EntityList doors = level.doors();
            for (int i = 0; i < doors.size(); i++) {
                int x = doors.x(i);
                int y = doors.y(i);
                assertThat(level.terrain(x, y)).as("seed %d: door at %d,%d", seed, x, y).isEqualTo(Level.CORRIDOR);
                assertThat(taken.add(Level.cell(x, y))).isTrue();
                boolean acrossX = level.passable(Level.cell(x - 1, y)) && level.passable(Level.cell(x + 1, y))
                        && !level.passable(Level.cell(x, y - 1)) && !level.passable(Level.cell(x, y + 1));
                boolean acrossY = level.passable(Level.cell(x, y - 1)) && level.passable(Level.cell(x, y + 1))
                        && !level.passable(Level.cell(x - 1, y)) && !level.passable(Level.cell(x + 1, y));
                assertThat(acrossX || acrossY).as("seed %d: the door at %d,%d is in a doorway", seed, x, y).isTrue();
            }
            EntityList torches = level.torches();
            for (int i = 0; i < torches.size(); i++) {
                assertThat(level.terrain(torches.x(i), torches.y(i))).as("seed %d: a torch hangs on wall", seed)
                        .isEqualTo(Level.WALL);
            }
            totals[0] += level.monsters().size();
            totals[1] += level.items().size();
            totals[2] += doors.size();
            totals[3] += torches.size();
        });
        assertThat(Arrays.stream(totals).min().orElseThrow())
                .as("the fewest of monsters, items, doors and torches placed over all seeds").isGreaterThan(5L * SEEDS);
    }

    @Test
    void theLeavesTileTheMapAndHoldTheirRoomsMazeAndCave() {
        forEachSeed((seed, level) -> {
            List<BspNode> leaves = new ArrayList<>();
            level.bsp().forEachLeaf(leaves::add);
            assertThat(level.bspNodes()).as("seed %d: a full binary tree", seed).isEqualTo(2 * leaves.size() - 1);
            int[] owner = new int[Level.N];
            for (int i = 0; i < leaves.size(); i++) {
                BspNode leaf = leaves.get(i);
                for (int y = leaf.y(); y < leaf.y() + leaf.h(); y++) {
                    for (int x = leaf.x(); x < leaf.x() + leaf.w(); x++) {
                        assertThat(owner[Level.cell(x, y)]).as("seed %d: leaves overlap", seed).isZero();
                        owner[Level.cell(x, y)] = i + 1;
                    }
                }
                assertThat(leaf.w()).isGreaterThanOrEqualTo(LevelGenerator.MIN_LEAF_W);
                assertThat(leaf.h()).isGreaterThanOrEqualTo(LevelGenerator.MIN_LEAF_H);
                assertThat(level.passable(leaf.anchor())).isTrue();
                assertThat(owner[leaf.anchor()]).as("the anchor lies in its leaf").isEqualTo(i + 1);
            }
            int covered = 0;
            for (int o : owner) {
                covered += o > 0 ? 1 : 0;
            }
            assertThat(covered).as("the leaves cover the map inside its border")
                    .isEqualTo((Level.W - 2) * (Level.H - 2));
            for (int r = 0; r < level.roomCount(); r++) {
                int[] room = level.room(r);
                int leaf = owner[Level.cell(room[0], room[1])];
                assertThat(owner[Level.cell(room[0] - 1, room[1] - 1)])
                        .as("seed %d: room %d keeps a wall ring in its leaf", seed, r).isEqualTo(leaf);
                assertThat(owner[Level.cell(room[0] + room[2], room[1] + room[3])]).isEqualTo(leaf);
            }
            assertThat(level.leaves(BspNode.MAZE)).isEqualTo(1);
            assertThat(level.leaves(BspNode.CAVE)).isLessThanOrEqualTo(1);
            assertThat(level.roomCount() + level.leaves(BspNode.MAZE) + level.leaves(BspNode.CAVE))
                    .isEqualTo(leaves.size());
        });
    }

    @Test
    void theSameSeedGivesTheSameLevelAndAnotherSeedAnother() {
        List<String> first = text(42);
        byte[] cells = cells(42);
        assertThat(text(42)).isEqualTo(first);
        assertThat(cells(42)).isEqualTo(cells);
        assertThat(text(43)).isNotEqualTo(first);
        assertThat(cells(43)).isNotEqualTo(cells);
        Set<List<String>> maps = new HashSet<>();
        LongStream.range(0, 50).forEach(seed -> maps.add(text(seed)));
        assertThat(maps).as("50 seeds, 50 levels").hasSize(50);
    }

    private List<String> text(long seed) {
        return withLevel(seed, level -> {
            List<String> t = new ArrayList<>(LevelText.map(level));
            t.add(LevelText.summary(seed, level));
            return t;
        });
    }

    private byte[] cells(long seed) {
        return withLevel(seed, level -> level.cells().toArray(ValueLayout.JAVA_BYTE));
    }

    private <T> T withLevel(long seed, Function<Level, T> read) {
        try {
            return read.apply(new LevelGenerator(region, seed).generate());
        } finally {
            region.release();
        }
    }

    @Test
    void theLevelsDataComesHomeAtTheRelease() {
        long chunksBefore = Heaps.libc().stats().tag(Tag.of("region-chunks")).liveBytes();
        Level level = new LevelGenerator(region, 7).generate();
        assertThat(Frames.depth()).as("the generator leaves no frame open").isZero();
        for (Tag tag : LEVEL_TAGS) {
            assertThat(region.stats().tag(tag).liveBytes()).as("%s live in the region", tag).isPositive();
        }
        assertThat(region.stats().tag(Level.BSP).liveBlocks()).as("a block per BSP node").isEqualTo(level.bspNodes());
        long live = region.stats().total().liveBlocks();
        long tagged = 0;
        for (Tag tag : LEVEL_TAGS) {
            tagged += region.stats().tag(tag).liveBytes();
        }
        assertThat(tagged).as("every live byte of the region is the level's")
                .isEqualTo(region.stats().total().liveBytes());
        assertThat(Heaps.libc().stats().tag(Tag.of("region-chunks")).liveBytes()).isGreaterThan(chunksBefore);
        var cells = level.cells();

        assertThat(region.release()).as("the release killed every live block").isEqualTo((int) live);

        for (Tag tag : LEVEL_TAGS) {
            assertThat(region.stats().tag(tag).liveBytes()).as("%s after the release", tag).isZero();
            assertThat(region.stats().tag(tag).liveBlocks()).isZero();
        }
        assertThat(region.heldBytes()).isZero();
        assertThat(Heaps.libc().stats().tag(Tag.of("region-chunks")).liveBytes()).isEqualTo(chunksBefore);
        assertThatThrownBy(() -> cells.get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> level.terrain(0)).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> level.monsters().x(0)).isInstanceOf(RuntimeException.class);
    }

    @Test
    void twoHundredRegenerationsLeaveMallinfo2Stable() throws Exception {
        assumeTrue(SOAK, "soak tier: 200 regenerations and two settled readings in a child JVM");
        long grown = grown("levels", 200);
        // one-sided, stated tolerance 512 KiB: custody-core's witness tolerance for the JVM's own drift; a level
        // kept each time (at least a 16 KiB chunk) would stand over 3 MB high
        assertThat(grown).isLessThan(512 * 1024);
        long leaked = grown("leak", 200);
        // the same tolerance both ways: the child JVM may free its own mallocs meanwhile (the soak once read 3.24 MB)
        assertThat(leaked).as("the negative control: 200 kept blocks of 16 KiB")
                .isBetween(200 * LevelsScenario.CHUNK - 512 * 1024, 200 * LevelsScenario.CHUNK + 512 * 1024);
    }

    private static long grown(String mode, int levels) throws Exception {
        Programs.Child r = Programs.quietChild(LevelsWitnessChild.class, mode, Integer.toString(levels));
        assertThat(r.exit()).as(r.err()).isZero();
        Matcher m = Pattern.compile("before=(\\d+) after=(\\d+)").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        long before = Long.parseLong(m.group(1));
        long after = Long.parseLong(m.group(2));
        System.out.printf("mallinfo2 witness, %s %d: before %d B, after %d B, delta %+d B%n", mode, levels, before,
                after, after - before);
        return after - before;
    }
}
