package dev.custody.remote.demo;

import java.util.ArrayList;
import java.util.List;

/** The demo root that {@link dev.custody.remote.ServerMain} exports: a catalog of items. */
public final class Catalog {
    private final String name;
    private final Item[] items;

    public Catalog(String name, int size) {
        this.name = name;
        this.items = new Item[size];
    }

    public String name() {
        return name;
    }

    public int size() {
        return items.length;
    }

    /**
     * The catalog's own item {@code i}; sending it twice pins it twice under one handle.
     *
     * @throws IndexOutOfBoundsException if {@code i} is outside [0, size)
     */
    public synchronized Item item(int i) {
        if (items[i] == null) {
            items[i] = new Item(i, name + "#" + i);
        }
        return items[i];
    }

    /** A new item, referenced only by whoever pins it. */
    public Item make(String label) {
        return new Item(-1, label);
    }

    /** {@code n} new items in one result. */
    public List<Item> batch(int n) {
        List<Item> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Item(i, "batch#" + i));
        }
        return out;
    }

    /** Always throws, to show a server-side exception coming back as a status. */
    public String fail(String why) {
        throw new IllegalStateException(why);
    }
}
