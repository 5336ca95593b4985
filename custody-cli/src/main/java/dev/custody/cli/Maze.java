package dev.custody.cli;

import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Carves a perfect maze (one path between any two of its cells) into a BSP leaf: a randomized
 * depth-first walk over the leaf's odd cells, knocking out the wall between each cell and the next.
 * The walk's stack and its visited marks are scratch on a {@link Frame} (the seed's maze stacks).
 */
final class Maze {

    private Maze() {
    }

    /**
     * Carves the maze as {@link Level#FLOOR}, leaving the leaf's outer ring wall.
     *
     * @return the cell the walk started from, the leaf's anchor
     */
    static int carve(Level level, BspNode leaf, SplittableRandom random) {
        int ox = leaf.x() + 1;
        int oy = leaf.y() + 1;
        int nx = (leaf.w() - 1) / 2;
        int ny = (leaf.h() - 1) / 2;
        try (Frame f = Frames.push()) {
            MemorySegment stack = f.allocate(nx * ny * 4L, 4);
            MemorySegment visited = f.allocate(nx * ny);
            visited.fill((byte) 0);
            int start = random.nextInt(nx * ny);
            int top = 0;
            stack.setAtIndex(JAVA_INT, top++, start);
            visited.set(JAVA_BYTE, start, (byte) 1);
            level.terrain(Level.cell(ox + 2 * (start % nx), oy + 2 * (start / nx)), Level.FLOOR);
            int[] options = new int[4];
            while (top > 0) {
                int m = stack.getAtIndex(JAVA_INT, top - 1);
                int mx = m % nx;
                int my = m / nx;
                int n = 0;
                for (int d = 0; d < 4; d++) {
                    int x = mx + Level.DX[d];
                    int y = my + Level.DY[d];
                    if (x >= 0 && x < nx && y >= 0 && y < ny && visited.get(JAVA_BYTE, y * nx + x) == 0) {
                        options[n++] = d;
                    }
                }
                if (n == 0) {
                    top--;
                    continue;
                }
                int d = options[random.nextInt(n)];
                int next = (my + Level.DY[d]) * nx + mx + Level.DX[d];
                visited.set(JAVA_BYTE, next, (byte) 1);
                level.terrain(Level.cell(ox + 2 * mx + Level.DX[d], oy + 2 * my + Level.DY[d]), Level.FLOOR);
                level.terrain(Level.cell(ox + 2 * (mx + Level.DX[d]), oy + 2 * (my + Level.DY[d])), Level.FLOOR);
                stack.setAtIndex(JAVA_INT, top++, next);
            }
            return Level.cell(ox + 2 * (start % nx), oy + 2 * (start / nx));
        }
    }
}
