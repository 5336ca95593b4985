package dev.custody.internal;

import dev.custody.observe.HeapListener;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every open heap, weakly held and by identity (root heaps are equal by owner), for snapshots. */
public final class HeapDirectory {
    private static final List<WeakReference<AbstractHeap>> HEAPS = new ArrayList<>();
    private static final CopyOnWriteArrayList<HeapListener> LISTENERS = new CopyOnWriteArrayList<>();

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

    /** Adds a listener of heaps published and closed from now on. */
    public static void addListener(HeapListener l) {
        LISTENERS.addIfAbsent(java.util.Objects.requireNonNull(l, "listener"));
    }

    /** Removes a listener; nothing if it was not added. */
    public static void removeListener(HeapListener l) {
        LISTENERS.remove(l);
    }

    static void opened(AbstractHeap h) {
        for (HeapListener l : LISTENERS) {
            notify(l, h, true);
        }
    }

    static void closed(AbstractHeap h) {
        for (HeapListener l : LISTENERS) {
            notify(l, h, false);
        }
    }

    /** A listener that throws is named on standard error; the heap is made or closed all the same. */
    private static void notify(HeapListener l, AbstractHeap h, boolean opened) {
        try {
            if (opened) {
                l.opened(h);
            } else {
                l.closed(h);
            }
        } catch (RuntimeException e) {
            System.err.println("custody: heap listener " + l + " threw on " + (opened ? "the publication" : "the close")
                    + " of heap '" + h.name + "': " + e);
        }
    }

    /**
     * Every live block of every heap, once each, pools' chunks left out: the registry's, then each
     * region's own (which are in no registry). Reads the roots' books first (a descendant's roll up
     * into its root's): when none shows a live block, there is no registry scan.
     */
    public static List<dev.custody.Block> liveBlocks() {
        List<dev.custody.Block> out = new ArrayList<>();
        forEachLive(b -> out.add(b.exposed()));
        return out;
    }

    /** As {@link #liveBlocks()}, each block given to {@code action}. */
    static void forEachLive(java.util.function.Consumer<BlockImpl> action) {
        List<AbstractHeap> heaps = all();
        if (heaps.stream().anyMatch(h -> h.parent == null && h.booksShowLiveBlocks())) {
            Registry.forEachLive(b -> {
                if (b.heldBy == null) {
                    action.accept(b);
                }
            });
        }
        for (AbstractHeap h : heaps) {
            if (h instanceof RegionHeap r) {
                r.ownLive().forEach(action);
            }
        }
    }
}
