package dev.custody.cli;

import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Walks a level: breadth-first over passable cells, four ways, from one cell. The queue and the
 * distances are scratch on a {@link Frame}. Used by the generator (the farthest cell from the up
 * stairs) and by every check of a level (each floor cell reachable, the stairs joined).
 */
final class LevelSurvey {

    /**
     * What a walk found: the cells reached (the start included), the level's passable cells, the
     * reached {@link Level#FLOOR} cell farthest by steps (-1 if none), and the steps to each target.
     */
    record Walk(int reached, int passable, int farthestFloor, int[] steps) {
        boolean reachesAll() {
            return reached == passable;
        }
    }

    private LevelSurvey() {
    }

    /**
     * Walks from {@code from}, which must be passable.
     *
     * @param targets cells whose distances to report, in {@link Walk#steps()} (-1 for one not reached)
     */
    static Walk walk(Level level, int from, int... targets) {
        if (!level.passable(from)) {
            throw new IllegalArgumentException("cell " + from + " is wall");
        }
        try (Frame f = Frames.push()) {
            MemorySegment queue = f.allocate(Level.N * 4L, 4);
            MemorySegment dist = f.allocate(Level.N * 4L, 4);
            dist.fill((byte) -1);
            int head = 0;
            int tail = 0;
            queue.setAtIndex(JAVA_INT, tail++, from);
            dist.setAtIndex(JAVA_INT, from, 0);
            while (head < tail) {
                int c = queue.getAtIndex(JAVA_INT, head++);
                int x = c % Level.W;
                int y = c / Level.W;
                for (int d = 0; d < 4; d++) {
                    int nx = x + Level.DX[d];
                    int ny = y + Level.DY[d];
                    int n = Level.cell(nx, ny);
                    if (nx >= 0 && nx < Level.W && ny >= 0 && ny < Level.H && level.passable(n)
                            && dist.getAtIndex(JAVA_INT, n) == -1) {
                        dist.setAtIndex(JAVA_INT, n, dist.getAtIndex(JAVA_INT, c) + 1);
                        queue.setAtIndex(JAVA_INT, tail++, n);
                    }
                }
            }
            int passable = 0;
            for (int c = 0; c < Level.N; c++) {
                passable += level.passable(c) ? 1 : 0;
            }
            int[] steps = new int[targets.length];
            for (int i = 0; i < targets.length; i++) {
                steps[i] = dist.getAtIndex(JAVA_INT, targets[i]);
            }
            // the queue holds cells in order of distance: the last floor in it is the farthest
            int farthest = -1;
            for (int i = tail - 1; i >= 0 && farthest < 0; i--) {
                int c = queue.getAtIndex(JAVA_INT, i);
                farthest = level.terrain(c) == Level.FLOOR ? c : -1;
            }
            return new Walk(tail, passable, farthest, steps);
        }
    }
}
