package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Tag;
import dev.custody.scoped.Region;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One generated level, every byte of it in blocks of one region: the cells (a terrain byte each), the
 * rooms, the BSP nodes, the lists of torches, monsters, items and doors, and the down stairs' list (the
 * generator's return value, which a caller that keeps it moves out with {@link Region#transfer}). The
 * region's release frees it all at once; afterwards every accessor throws.
 *
 * <p>Cells are numbered {@code y * W + x}. The border cells are always {@link #WALL}.
 */
final class Level {
    static final int W = 80;
    static final int H = 40;
    static final int N = W * H;
    /** The four steps a walker can take, as x and y offsets. */
    static final int[] DX = {1, -1, 0, 0};
    static final int[] DY = {0, 0, 1, -1};
    static final byte WALL = 0;
    /** Floor of a room, a cave or the maze. */
    static final byte FLOOR = 1;
    static final byte CORRIDOR = 2;
    static final byte UP = 3;
    static final byte DOWN = 4;
    static final int DOWN_STAIRS = 4;
    /** The down stairs' list: {@value #DOWN_STAIRS} pairs of int x, y. */
    static final long DOWN_STAIRS_BYTES = DOWN_STAIRS * 8L;
    /** Bytes of a room: x, y, width, height as ints. */
    static final long ROOM_BYTES = 16;
    static final Tag CELLS = Tag.of("level-cells");
    static final Tag ROOMS = Tag.of("level-rooms");
    static final Tag BSP = Tag.of("level-bsp");
    static final Tag TORCHES = Tag.of("level-torches");
    static final Tag MONSTERS = Tag.of("level-monsters");
    static final Tag ITEMS = Tag.of("level-items");
    static final Tag DOORS = Tag.of("level-doors");
    static final Tag STAIRS = Tag.of("stairs");

    private final Region region;
    private final Block cells;
    private final EntityList torches;
    private final EntityList monsters;
    private final EntityList items;
    private final EntityList doors;
    private BspNode root;
    private int nodes;
    private Block rooms;
    private int roomCount;
    private int up = -1;
    private Block downStairs;

    /** An empty level, all wall, in {@code region}. */
    Level(Region region) {
        this.region = region;
        cells = region.allocateZeroed(N, CELLS);
        torches = new EntityList(region, TORCHES, 4);
        monsters = new EntityList(region, MONSTERS, 4);
        items = new EntityList(region, ITEMS, 4);
        doors = new EntityList(region, DOORS, 4);
    }

    Region region() {
        return region;
    }

    static int cell(int x, int y) {
        return y * W + x;
    }

    byte terrain(int cell) {
        return cells.segment().get(JAVA_BYTE, cell);
    }

    byte terrain(int x, int y) {
        return terrain(cell(x, y));
    }

    void terrain(int cell, byte t) {
        cells.segment().set(JAVA_BYTE, cell, t);
    }

    /** Whether a walker can stand on the cell: anything but wall. */
    boolean passable(int cell) {
        return terrain(cell) != WALL;
    }

    /** The cells' storage: valid until the region's release. */
    MemorySegment cells() {
        return cells.segment();
    }

    EntityList torches() {
        return torches;
    }

    EntityList monsters() {
        return monsters;
    }

    EntityList items() {
        return items;
    }

    EntityList doors() {
        return doors;
    }

    void bsp(BspNode root, int nodes) {
        this.root = root;
        this.nodes = nodes;
    }

    BspNode bsp() {
        return root;
    }

    /** How many BSP nodes the level allocated, inner and leaves. */
    int bspNodes() {
        return nodes;
    }

    /** How many BSP leaves became {@code kind}: {@link BspNode#ROOM}, {@link BspNode#MAZE} or {@link BspNode#CAVE}. */
    int leaves(int kind) {
        int[] n = {0};
        root.forEachLeaf(leaf -> n[0] += leaf.kind() == kind ? 1 : 0);
        return n[0];
    }

    /** Allocates the rooms' list for {@code count} rooms. */
    void rooms(int count) {
        rooms = region.allocate(Math.max(1, count) * ROOM_BYTES, ROOMS);
        roomCount = 0;
    }

    /** Appends a room; returns its index. */
    int addRoom(int x, int y, int w, int h) {
        MemorySegment r = rooms.segment();
        long at = roomCount * ROOM_BYTES;
        r.set(JAVA_INT, at, x);
        r.set(JAVA_INT, at + 4, y);
        r.set(JAVA_INT, at + 8, w);
        r.set(JAVA_INT, at + 12, h);
        return roomCount++;
    }

    int roomCount() {
        return roomCount;
    }

    /** Room {@code i}'s x, y, width and height. */
    int[] room(int i) {
        if (i < 0 || i >= roomCount) {
            throw new IndexOutOfBoundsException("room " + i + " of " + roomCount);
        }
        MemorySegment r = rooms.segment();
        long at = i * ROOM_BYTES;
        return new int[] {r.get(JAVA_INT, at), r.get(JAVA_INT, at + 4), r.get(JAVA_INT, at + 8),
            r.get(JAVA_INT, at + 12)};
    }

    void upStairs(int cell) {
        terrain(cell, UP);
        up = cell;
    }

    /** The up stairs' cell. */
    int upStairs() {
        return up;
    }

    /** Puts the down stairs on the given cells and lists them in a block of the region. */
    void downStairs(int[] at) {
        downStairs = region.allocate(DOWN_STAIRS_BYTES, STAIRS);
        MemorySegment s = downStairs.segment();
        for (int i = 0; i < DOWN_STAIRS; i++) {
            terrain(at[i], DOWN);
            s.set(JAVA_INT, i * 8L, at[i] % W);
            s.set(JAVA_INT, i * 8L + 4, at[i] / W);
        }
    }

    /** The down stairs' cells, read from their list. */
    int[] downStairs() {
        MemorySegment s = downStairs.segment();
        int[] cells = new int[DOWN_STAIRS];
        for (int i = 0; i < DOWN_STAIRS; i++) {
            cells[i] = cell(s.get(JAVA_INT, i * 8L), s.get(JAVA_INT, i * 8L + 4));
        }
        return cells;
    }

    /** The down stairs' list, to move out of the region before its release. */
    Block downStairsList() {
        return downStairs;
    }
}
