package dev.custody.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/** Every open heap, weakly held and by identity (root heaps are equal by owner), for snapshots. */
public final class HeapDirectory {
    private static final List<WeakReference<AbstractHeap>> HEAPS = new ArrayList<>();

    static {
        BooksEvent.registerWhenRecording(); // the periodic books of every heap in this directory
    }

    private HeapDirectory() {
    }

    static synchronized void add(AbstractHeap h) {
        HEAPS.removeIf(r -> r.get() == null);
        HEAPS.add(new WeakReference<>(h));
    }

    static synchronized void remove(AbstractHeap h) {
        HEAPS.removeIf(r -> r.get() == null || r.get() == h);
    }

    /** The open heaps, roots first, then by name. */
    public static List<AbstractHeap> all() {
        List<AbstractHeap> out = new ArrayList<>();
        synchronized (HeapDirectory.class) {
            for (WeakReference<AbstractHeap> r : HEAPS) {
                AbstractHeap h = r.get();
                if (h != null) {
                    out.add(h);
                }
            }
        }
        out.sort((a, b) -> a.parent == null && b.parent != null ? -1
                : a.parent != null && b.parent == null ? 1 : a.name.compareTo(b.name));
        return out;
    }
}
