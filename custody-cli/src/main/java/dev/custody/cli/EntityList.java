package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Tag;
import dev.custody.scoped.Region;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A level's list of things at cells (torches, monsters, items, doors): records of {@value #ENTRY} bytes
 * ({@code x}, {@code y}, the {@link Entity} ordinal) in one block of the level's region, grown by
 * doubling through {@link Region#reallocate}: the seed's growing {@code [..]} array. After a growth the
 * old block is dead for custody's methods; its memory returns only at the region's release, so a
 * segment of it kept by mistake sees the old list's bytes until then and throws on access from the
 * release on.
 */
final class EntityList {
    static final long ENTRY = 12;

    private final Region region;
    private Block block;
    private int size;

    /** An empty list with room for {@code capacity} records, tagged {@code tag}. */
    EntityList(Region region, Tag tag, int capacity) {
        this.region = region;
        this.block = region.allocate(capacity * ENTRY, tag);
    }

    /** Appends a record, doubling the storage first when it is full. */
    void add(int x, int y, Entity entity) {
        if (size == capacity()) {
            block = region.reallocate(block, 2 * block.byteSize());
        }
        MemorySegment s = block.segment();
        s.set(JAVA_INT, size * ENTRY, x);
        s.set(JAVA_INT, size * ENTRY + 4, y);
        s.set(JAVA_INT, size * ENTRY + 8, entity.ordinal());
        size++;
    }

    int size() {
        return size;
    }

    /** How many records fit before the next growth. */
    int capacity() {
        return (int) (block.byteSize() / ENTRY);
    }

    int x(int i) {
        return block.segment().get(JAVA_INT, checked(i) * ENTRY);
    }

    int y(int i) {
        return block.segment().get(JAVA_INT, checked(i) * ENTRY + 4);
    }

    Entity entity(int i) {
        return Entity.values()[block.segment().get(JAVA_INT, checked(i) * ENTRY + 8)];
    }

    /** The current storage: valid until the region's release (after a growth, it is the old list's). */
    MemorySegment segment() {
        return block.segment();
    }

    private long checked(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("record " + i + " of " + size);
        }
        return i;
    }
}
