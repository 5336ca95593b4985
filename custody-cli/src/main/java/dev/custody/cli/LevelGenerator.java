package dev.custody.cli;

import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;
import dev.custody.scoped.Region;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The dungeon generator of seed 001, made with custody's fixes: every piece of level data in the one
 * region of the level, every scratch array on a frame.
 *
 * <p>A level of {@value Level#W} x {@value Level#H} cells is made in these steps:
 * <ol>
 *   <li>a binary space partition of the map, each node allocated on its own in the region
 *       ({@link BspNode}), down to leaves of at least {@value #MIN_LEAF_W} x {@value #MIN_LEAF_H};</li>
 *   <li>the largest leaf becomes a maze ({@link Maze}), one other a cellular-automata cave
 *       ({@link Cave}, a room if the cave comes out too small), every other leaf a room;</li>
 *   <li>bottom-up over the tree, the two halves of every inner node are joined by an L-shaped
 *       corridor between their nearest anchors (the anchor lists are the seed's edge lists, the
 *       corridor's path array the seed's corridor path, both on frames), which connects the level;</li>
 *   <li>doors where a corridor passes a room's wall between two wall cells, then torches on the rooms'
 *       walls;</li>
 *   <li>the up stairs in the first room, the first down stairs on the floor cell farthest from it
 *       ({@link LevelSurvey}), the others on random floor;</li>
 *   <li>monsters and items on free floor cells of every leaf (an occupancy grid on a frame).</li>
 * </ol>
 *
 * <p>The level is a function of the seed alone: {@link SplittableRandom} is specified to give the same
 * sequence for the same seed on every JVM, and nothing else feeds the generator. A generator makes one
 * level; the region must be confined to the calling thread, and should be empty, since the level's
 * figures are read from its books.
 */
final class LevelGenerator {
    static final int MIN_LEAF_W = 10;
    static final int MIN_LEAF_H = 7;
    /** A leaf smaller than this in both directions may stop splitting early, by chance. */
    private static final int STOP_W = 24;
    private static final int STOP_H = 16;

    private final Region region;
    private final SplittableRandom random;
    private Level level;
    private int nodes;
    private int leaves;

    /** A generator of the level of {@code seed}, into {@code region}. */
    LevelGenerator(Region region, long seed) {
        this.region = region;
        this.random = new SplittableRandom(seed);
    }

    /** Generates the level; it lives in the region until the region's release. */
    Level generate() {
        if (level != null) {
            throw new IllegalStateException("a generator makes one level");
        }
        level = new Level(region);
        nodes = 1;
        BspNode root = new BspNode(region, 1, 1, Level.W - 2, Level.H - 2);
        split(root);
        level.bsp(root, nodes);
        level.rooms(leaves - 1); // the maze is no room
        carveLeaves(root);
        join(root);
        placeDoors();
        placeTorches();
        placeStairs();
        populate(root);
        return level;
    }

    private void split(BspNode node) {
        int w = node.w();
        int h = node.h();
        boolean canCutX = w >= 2 * MIN_LEAF_W;
        boolean canCutY = h >= 2 * MIN_LEAF_H;
        boolean small = w < STOP_W && h < STOP_H;
        if (!canCutX && !canCutY || small && random.nextInt(3) == 0) {
            leaves++;
            return;
        }
        // cut across the longer side, unless that side cannot be cut
        boolean cutX = canCutX && (!canCutY || w * MIN_LEAF_H > h * MIN_LEAF_W
                || w * MIN_LEAF_H == h * MIN_LEAF_W && random.nextBoolean());
        BspNode first;
        BspNode second;
        if (cutX) {
            int at = random.nextInt(MIN_LEAF_W, w - MIN_LEAF_W + 1);
            first = new BspNode(region, node.x(), node.y(), at, h);
            second = new BspNode(region, node.x() + at, node.y(), w - at, h);
        } else {
            int at = random.nextInt(MIN_LEAF_H, h - MIN_LEAF_H + 1);
            first = new BspNode(region, node.x(), node.y(), w, at);
            second = new BspNode(region, node.x(), node.y() + at, w, h - at);
        }
        nodes += 2;
        node.split(first, second);
        split(first);
        split(second);
    }

    /** The largest leaf (the first of equals) becomes the maze, a random other one the cave. */
    private void carveLeaves(BspNode root) {
        BspNode[] maze = {null};
        root.forEachLeaf(leaf -> {
            if (maze[0] == null || leaf.w() * leaf.h() > maze[0].w() * maze[0].h()) {
                maze[0] = leaf;
            }
        });
        int[] cave = {random.nextInt(leaves - 1)};
        root.forEachLeaf(leaf -> {
            if (leaf == maze[0]) {
                leaf.kind(BspNode.MAZE);
                leaf.anchor(Maze.carve(level, leaf, random));
            } else if (cave[0]-- == 0 && carveCave(leaf)) {
                leaf.kind(BspNode.CAVE);
            } else {
                carveRoom(leaf);
            }
        });
    }

    private boolean carveCave(BspNode leaf) {
        int anchor = Cave.carve(level, leaf, random);
        leaf.anchor(anchor);
        return anchor >= 0;
    }

    /** A room inside the leaf, clear of its outer ring so that rooms never touch. */
    private void carveRoom(BspNode leaf) {
        int w = random.nextInt(4, leaf.w() - 1);
        int h = random.nextInt(3, leaf.h() - 1);
        int x = random.nextInt(leaf.x() + 1, leaf.x() + leaf.w() - w);
        int y = random.nextInt(leaf.y() + 1, leaf.y() + leaf.h() - h);
        for (int yy = y; yy < y + h; yy++) {
            for (int xx = x; xx < x + w; xx++) {
                level.terrain(Level.cell(xx, yy), Level.FLOOR);
            }
        }
        level.addRoom(x, y, w, h);
        leaf.kind(BspNode.ROOM);
        leaf.anchor(Level.cell(x + w / 2, y + h / 2));
    }

    /** Joins the halves of every inner node, bottom-up: each subtree is connected before its parent. */
    private void join(BspNode node) {
        if (node.isLeaf()) {
            return;
        }
        join(node.left());
        join(node.right());
        int from;
        int to;
        try (Frame f = Frames.push()) {
            MemorySegment a = f.allocate(nodes * 4L, 4);
            MemorySegment b = f.allocate(nodes * 4L, 4);
            int na = anchors(node.left(), a, 0);
            int nb = anchors(node.right(), b, 0);
            from = a.getAtIndex(JAVA_INT, 0);
            to = b.getAtIndex(JAVA_INT, 0);
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < nb; j++) {
                    int p = a.getAtIndex(JAVA_INT, i);
                    int q = b.getAtIndex(JAVA_INT, j);
                    if (distance(p, q) < distance(from, to)) {
                        from = p;
                        to = q;
                    }
                }
            }
        }
        corridor(from, to);
    }

    /** Lists the anchors of the leaves under {@code node} from index {@code n}; returns the new count. */
    private static int anchors(BspNode node, MemorySegment into, int n) {
        if (node.isLeaf()) {
            into.setAtIndex(JAVA_INT, n, node.anchor());
            return n + 1;
        }
        return anchors(node.right(), into, anchors(node.left(), into, n));
    }

    private static int distance(int p, int q) {
        return Math.abs(p % Level.W - q % Level.W) + Math.abs(p / Level.W - q / Level.W);
    }

    /** An L-shaped corridor, across first or down first by chance; its path array is scratch. */
    private void corridor(int from, int to) {
        int x = from % Level.W;
        int y = from / Level.W;
        int x1 = to % Level.W;
        int y1 = to / Level.W;
        boolean acrossFirst = random.nextBoolean();
        try (Frame f = Frames.push()) {
            MemorySegment path = f.allocate((distance(from, to) + 1) * 4L, 4);
            int n = 0;
            path.setAtIndex(JAVA_INT, n++, from);
            for (int leg = 0; leg < 2; leg++) {
                if (acrossFirst == (leg == 0)) {
                    for (; x != x1; x += Integer.signum(x1 - x)) {
                        path.setAtIndex(JAVA_INT, n++, Level.cell(x + Integer.signum(x1 - x), y));
                    }
                } else {
                    for (; y != y1; y += Integer.signum(y1 - y)) {
                        path.setAtIndex(JAVA_INT, n++, Level.cell(x, y + Integer.signum(y1 - y)));
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                int c = path.getAtIndex(JAVA_INT, i);
                if (level.terrain(c) == Level.WALL) {
                    level.terrain(c, Level.CORRIDOR);
                }
            }
        }
    }

    /** A door where a corridor crosses a room's wall ring with wall on both sides of it. */
    private void placeDoors() {
        for (int i = 0; i < level.roomCount(); i++) {
            int[] r = level.room(i);
            for (int x = r[0]; x < r[0] + r[2]; x++) {
                door(x, r[1] - 1, 1, 0);
                door(x, r[1] + r[3], 1, 0);
            }
            for (int y = r[1]; y < r[1] + r[3]; y++) {
                door(r[0] - 1, y, 0, 1);
                door(r[0] + r[2], y, 0, 1);
            }
        }
    }

    private void door(int x, int y, int dx, int dy) {
        if (level.terrain(x, y) == Level.CORRIDOR && level.terrain(x - dx, y - dy) == Level.WALL
                && level.terrain(x + dx, y + dy) == Level.WALL) {
            level.doors().add(x, y, random.nextInt(3) == 0 ? Entity.OPEN_DOOR : Entity.CLOSED_DOOR);
        }
    }

    /** A torch on each room's north wall, the wall cell nearest its middle; big rooms get one south too. */
    private void placeTorches() {
        for (int i = 0; i < level.roomCount(); i++) {
            int[] r = level.room(i);
            torch(r, r[1] - 1);
            if (r[2] * r[3] >= 40) {
                torch(r, r[1] + r[3]);
            }
        }
    }

    private void torch(int[] room, int y) {
        int middle = room[0] + room[2] / 2;
        for (int off = 0; off <= room[2] / 2; off++) {
            for (int x : new int[] {middle - off, middle + off}) {
                if (x >= room[0] && x < room[0] + room[2] && level.terrain(x, y) == Level.WALL) {
                    level.torches().add(x, y, Entity.TORCH);
                    return;
                }
            }
        }
    }

    private void placeStairs() {
        int[] r = level.room(0);
        level.upStairs(Level.cell(r[0] + r[2] / 2, r[1] + r[3] / 2));
        int[] down = new int[Level.DOWN_STAIRS];
        down[0] = LevelSurvey.walk(level, level.upStairs()).farthestFloor();
        for (int i = 1; i < down.length; i++) {
            int c;
            do {
                c = random.nextInt(Level.N);
            } while (level.terrain(c) != Level.FLOOR || contains(down, i, c));
            down[i] = c;
        }
        level.downStairs(down);
    }

    private static boolean contains(int[] cells, int n, int cell) {
        for (int i = 0; i < n; i++) {
            if (cells[i] == cell) {
                return true;
            }
        }
        return false;
    }

    /**
     * Monsters and items on free floor of each leaf: up to two of each in a room, two monsters and
     * three items in the maze, two to four monsters and an item in the cave. A cell holds one thing.
     */
    private void populate(BspNode root) {
        try (Frame f = Frames.push()) {
            MemorySegment taken = f.allocate(Level.N);
            taken.fill((byte) 0);
            for (int i = 0; i < level.doors().size(); i++) {
                taken.set(JAVA_BYTE, Level.cell(level.doors().x(i), level.doors().y(i)), (byte) 1);
            }
            root.forEachLeaf(leaf -> {
                int monsters = switch (leaf.kind()) {
                    case BspNode.MAZE -> 2;
                    case BspNode.CAVE -> random.nextInt(2, 5);
                    default -> random.nextInt(3);
                };
                int items = switch (leaf.kind()) {
                    case BspNode.MAZE -> 3;
                    case BspNode.CAVE -> 1;
                    default -> random.nextInt(3);
                };
                for (int i = 0; i < monsters; i++) {
                    place(leaf, taken, level.monsters(), Entity.monster(random));
                }
                for (int i = 0; i < items; i++) {
                    place(leaf, taken, level.items(), Entity.item(random));
                }
            });
        }
    }

    /** Puts the entity on a random free floor cell of the leaf; gives up after a few tries. */
    private void place(BspNode leaf, MemorySegment taken, EntityList list, Entity entity) {
        for (int attempt = 0; attempt < 40; attempt++) {
            int x = random.nextInt(leaf.x(), leaf.x() + leaf.w());
            int y = random.nextInt(leaf.y(), leaf.y() + leaf.h());
            int c = Level.cell(x, y);
            if (level.terrain(c) == Level.FLOOR && taken.get(JAVA_BYTE, c) == 0) {
                taken.set(JAVA_BYTE, c, (byte) 1);
                list.add(x, y, entity);
                return;
            }
        }
    }
}
