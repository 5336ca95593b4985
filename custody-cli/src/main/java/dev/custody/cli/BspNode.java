package dev.custody.cli;

import dev.custody.Block;
import dev.custody.scoped.Region;

import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One node of a level's binary space partition, allocated on its own in the level's region (the
 * seed's {@code New(Node)} per node, freed by the region's release instead of a cascade). The block
 * holds the node's rectangle, what its leaf became and the leaf's anchor cell; the links to the two
 * children are this handle's, as a C node's pointers would be.
 */
final class BspNode {
    /** x, y, width, height, kind, anchor: six ints. */
    static final long BYTES = 24;
    static final int INNER = -1;
    static final int ROOM = 0;
    static final int MAZE = 1;
    static final int CAVE = 2;

    private final Block block;
    private BspNode left;
    private BspNode right;

    /** A leaf covering the rectangle, allocated in {@code region}. */
    BspNode(Region region, int x, int y, int w, int h) {
        block = region.allocate(BYTES, Level.BSP);
        MemorySegment s = block.segment();
        s.set(JAVA_INT, 0, x);
        s.set(JAVA_INT, 4, y);
        s.set(JAVA_INT, 8, w);
        s.set(JAVA_INT, 12, h);
        s.set(JAVA_INT, 16, ROOM);
        s.set(JAVA_INT, 20, -1);
    }

    /** Makes this leaf an inner node with the two halves as children. */
    void split(BspNode first, BspNode second) {
        left = first;
        right = second;
        block.segment().set(JAVA_INT, 16, INNER);
    }

    /** Visits the leaves under this node, left to right (this node if it is a leaf). */
    void forEachLeaf(Consumer<BspNode> action) {
        if (isLeaf()) {
            action.accept(this);
        } else {
            left.forEachLeaf(action);
            right.forEachLeaf(action);
        }
    }

    boolean isLeaf() {
        return left == null;
    }

    BspNode left() {
        return left;
    }

    BspNode right() {
        return right;
    }

    int x() {
        return block.segment().get(JAVA_INT, 0);
    }

    int y() {
        return block.segment().get(JAVA_INT, 4);
    }

    int w() {
        return block.segment().get(JAVA_INT, 8);
    }

    int h() {
        return block.segment().get(JAVA_INT, 12);
    }

    /** {@link #INNER}, or what the leaf became: {@link #ROOM}, {@link #MAZE} or {@link #CAVE}. */
    int kind() {
        return block.segment().get(JAVA_INT, 16);
    }

    void kind(int kind) {
        block.segment().set(JAVA_INT, 16, kind);
    }

    /** The leaf's cell that corridors join, or -1 before it is carved. */
    int anchor() {
        return block.segment().get(JAVA_INT, 20);
    }

    void anchor(int cell) {
        block.segment().set(JAVA_INT, 20, cell);
    }
}
