package dev.custody;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A category of memory, like a game's memory id: every block carries one, and every heap keeps
 * its books per tag.
 *
 * <p>Tags are interned: {@code Tag.of("paths") == Tag.of("paths")}. Each tag has a small dense
 * {@link #id()} that heaps use to index their per-tag books without hashing.
 */
public final class Tag {
    private static final ConcurrentHashMap<String, Tag> INTERNED = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_ID = new AtomicInteger();
    /** Every tag by id; grown copy-on-write, under the intern map's bin lock. */
    private static volatile Tag[] byId = new Tag[0];

    /** The tag of blocks allocated with no tag and no {@link Tags#push} scope in force. */
    public static final Tag UNTAGGED = of("untagged");

    private final String name;
    private final int id;

    private Tag(String name, int id) {
        this.name = name;
        this.id = id;
    }

    /**
     * Returns the tag with this name, creating it on first use.
     *
     * @param name the tag's name, not blank
     * @return the one tag of that name in this JVM
     * @throws NullPointerException if {@code name} is null
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Tag of(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a tag name must not be blank");
        }
        Tag t = INTERNED.get(name);
        return t != null ? t : INTERNED.computeIfAbsent(name, Tag::create);
    }

    private static synchronized Tag create(String name) {
        Tag t = new Tag(name, NEXT_ID.getAndIncrement());
        Tag[] a = java.util.Arrays.copyOf(byId, t.id + 1);
        a[t.id] = t;
        byId = a;
        return t;
    }

    /**
     * Every tag made so far.
     *
     * @return the tags, in id order
     */
    public static java.util.List<Tag> known() {
        return java.util.List.of(byId);
    }

    /**
     * The tag's name.
     *
     * @return the name given to {@link #of(String)}
     */
    public String name() {
        return name;
    }

    /**
     * A dense index, unique per tag within this JVM, from 0 upwards.
     *
     * @return the index
     */
    public int id() {
        return id;
    }

    @Override
    public String toString() {
        return name;
    }
}
