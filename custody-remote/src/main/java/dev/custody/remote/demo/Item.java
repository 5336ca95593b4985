package dev.custody.remote.demo;

/** An item of the demo {@link Catalog}. */
public final class Item {
    private final long id;
    private final String label;

    public Item(long id, String label) {
        this.id = id;
        this.label = label;
    }

    public long id() {
        return id;
    }

    public String label() {
        return label;
    }

    /** A new item after this one. */
    public Item next() {
        return new Item(id + 1, label + "'");
    }

    /** Whether {@code other} has the same label, to pass a proxy back as an argument. */
    public boolean sameLabel(Item other) {
        return label.equals(other.label);
    }
}
