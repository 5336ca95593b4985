package dev.custody.cli;

import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Grows a cave in a BSP leaf by cellular automata: random rock, then {@value #STEPS} steps in which a
 * cell becomes rock when five or more of the nine cells around it (itself included, the leaf's edge
 * counted as rock) are rock. Only the largest open pocket is kept, so the cave is one piece. Both
 * automaton grids, the pocket marks and the flood fill's stack are scratch on a {@link Frame}.
 */
final class Cave {
    /** A cave smaller than this many cells is not kept: the leaf gets a room instead. */
    static final int MIN_CELLS = 20;
    private static final int STEPS = 4;
    private static final int ROCK_PERCENT = 45;

    private Cave() {
    }

    /**
     * Carves the cave as {@link Level#FLOOR} inside the leaf's outer ring.
     *
     * @return the cave's cell nearest the leaf's centre (the anchor), or -1 if its largest pocket was
     *     under {@value #MIN_CELLS} cells, in which case nothing was carved
     */
    static int carve(Level level, BspNode leaf, SplittableRandom random) {
        int ox = leaf.x() + 1;
        int oy = leaf.y() + 1;
        int w = leaf.w() - 2;
        int h = leaf.h() - 2;
        try (Frame f = Frames.push()) {
            MemorySegment grid = f.allocate(w * h);
            MemorySegment next = f.allocate(w * h);
            for (int i = 0; i < w * h; i++) {
                grid.set(JAVA_BYTE, i, (byte) (random.nextInt(100) < ROCK_PERCENT ? 1 : 0));
            }
            for (int step = 0; step < STEPS; step++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        int rock = 0;
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                int xx = x + dx;
                                int yy = y + dy;
                                rock += xx < 0 || xx >= w || yy < 0 || yy >= h ? 1 : grid.get(JAVA_BYTE, yy * w + xx);
                            }
                        }
                        next.set(JAVA_BYTE, y * w + x, (byte) (rock >= 5 ? 1 : 0));
                    }
                }
                MemorySegment t = grid;
                grid = next;
                next = t;
            }
            MemorySegment marks = f.allocate(w * h * 4L, 4);
            marks.fill((byte) 0);
            MemorySegment stack = f.allocate(w * h * 4L, 4);
            int best = 0;
            int bestSize = 0;
            for (int i = 0, id = 1; i < w * h; i++) {
                if (grid.get(JAVA_BYTE, i) == 0 && marks.getAtIndex(JAVA_INT, i) == 0) {
                    int size = flood(grid, marks, stack, w, h, i, id);
                    if (size > bestSize) {
                        best = id;
                        bestSize = size;
                    }
                    id++;
                }
            }
            if (bestSize < MIN_CELLS) {
                return -1;
            }
            int anchor = -1;
            int nearest = Integer.MAX_VALUE;
            for (int i = 0; i < w * h; i++) {
                if (marks.getAtIndex(JAVA_INT, i) == best) {
                    int x = i % w;
                    int y = i / w;
                    level.terrain(Level.cell(ox + x, oy + y), Level.FLOOR);
                    int d = Math.abs(2 * x - w) + Math.abs(2 * y - h);
                    if (d < nearest) {
                        nearest = d;
                        anchor = Level.cell(ox + x, oy + y);
                    }
                }
            }
            return anchor;
        }
    }

    /** Marks the open pocket around {@code start} with {@code id}; returns its size. */
    private static int flood(MemorySegment grid, MemorySegment marks, MemorySegment stack, int w, int h, int start,
            int id) {
        int top = 0;
        int size = 1;
        stack.setAtIndex(JAVA_INT, top++, start);
        marks.setAtIndex(JAVA_INT, start, id);
        while (top > 0) {
            int c = stack.getAtIndex(JAVA_INT, --top);
            for (int d = 0; d < 4; d++) {
                int x = c % w + Level.DX[d];
                int y = c / w + Level.DY[d];
                int n = y * w + x;
                if (x >= 0 && x < w && y >= 0 && y < h && grid.get(JAVA_BYTE, n) == 0
                        && marks.getAtIndex(JAVA_INT, n) == 0) {
                    marks.setAtIndex(JAVA_INT, n, id);
                    stack.setAtIndex(JAVA_INT, top++, n);
                    size++;
                }
            }
        }
        return size;
    }
}
