package dev.custody.cli;

import dev.custody.Figures;

import java.util.ArrayList;
import java.util.List;

/**
 * A level as text, for {@code custody levels}: a one-line summary, the map (one row of
 * {@value Level#W} glyphs per row of cells) and a legend of every glyph the map can hold. The text is a
 * function of the level alone: no time, address or build in it.
 */
final class LevelText {
    static final char WALL = '#';
    static final char ROCK = ' ';
    static final char FLOOR = '.';
    static final char UP = '<';
    static final char DOWN = '>';

    private LevelText() {
    }

    /** Size, rooms, maze and cave, BSP nodes, entities, and the region's live bytes, blocks and chunks. */
    static String summary(long seed, Level level) {
        Figures region = level.region().stats().total();
        return "level of seed " + seed + ": " + Level.W + "x" + Level.H + ", " + level.roomCount() + " rooms, "
                + level.leaves(BspNode.MAZE) + " maze, " + level.leaves(BspNode.CAVE) + " cave, " + level.bspNodes()
                + " BSP nodes, " + level.monsters().size() + " monsters, " + level.items().size() + " items, "
                + level.doors().size() + " doors, " + level.torches().size() + " torches, " + Level.DOWN_STAIRS
                + " down stairs; region " + region.liveBytes() + " B live in " + region.liveBlocks()
                + (region.liveBlocks() == 1 ? " block, " : " blocks, ")
                + level.region().heldBytes() + " B of chunks";
    }

    /** The map, top row first; things stand over terrain, and wall that no walker sees is rock. */
    static List<String> map(Level level) {
        char[] glyphs = new char[Level.N];
        for (int c = 0; c < Level.N; c++) {
            glyphs[c] = terrain(level, c);
        }
        for (EntityList list : List.of(level.torches(), level.doors(), level.items(), level.monsters())) {
            for (int i = 0; i < list.size(); i++) {
                glyphs[Level.cell(list.x(i), list.y(i))] = list.entity(i).glyph();
            }
        }
        List<String> rows = new ArrayList<>(Level.H);
        for (int y = 0; y < Level.H; y++) {
            rows.add(new String(glyphs, y * Level.W, Level.W));
        }
        return rows;
    }

    /** One line per glyph: the glyph in quotes, then what it is. */
    static List<String> legend() {
        List<String> lines = new ArrayList<>(List.of(line(WALL, "wall"), line(ROCK, "rock"),
                line(FLOOR, "floor: rooms, corridors, the maze, the cave"), line(UP, "up stairs"),
                line(DOWN, "down stairs")));
        for (Entity e : Entity.values()) {
            lines.add(line(e.glyph(), e.description()));
        }
        return lines;
    }

    private static String line(char glyph, String what) {
        return "  '" + glyph + "' " + what;
    }

    private static char terrain(Level level, int c) {
        return switch (level.terrain(c)) {
            case Level.FLOOR, Level.CORRIDOR -> FLOOR;
            case Level.UP -> UP;
            case Level.DOWN -> DOWN;
            default -> besideOpen(level, c) ? WALL : ROCK;
        };
    }

    /** Whether any of the eight cells around {@code c} is passable. */
    private static boolean besideOpen(Level level, int c) {
        int x = c % Level.W;
        int y = c / Level.W;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                int yy = y + dy;
                if (xx >= 0 && xx < Level.W && yy >= 0 && yy < Level.H && level.passable(Level.cell(xx, yy))) {
                    return true;
                }
            }
        }
        return false;
    }
}
