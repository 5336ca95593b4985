package dev.custody.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/** Every open heap, weakly held, for global snapshots. */
public final class HeapDirectory {
    private static final Set<AbstractHeap> HEAPS = Collections.synchronizedSet(
            Collections.newSetFromMap(new WeakHashMap<>()));

    private HeapDirectory() {
    }

    static void add(AbstractHeap h) {
        HEAPS.add(h);
    }

    static void remove(AbstractHeap h) {
        HEAPS.remove(h);
    }

    /** The open heaps, roots first, then by name. */
    public static List<AbstractHeap> all() {
        List<AbstractHeap> out;
        synchronized (HEAPS) {
            out = new ArrayList<>(HEAPS);
        }
        out.sort((a, b) -> a.parent == null && b.parent != null ? -1
                : a.parent != null && b.parent == null ? 1 : a.name.compareTo(b.name));
        return out;
    }
}
