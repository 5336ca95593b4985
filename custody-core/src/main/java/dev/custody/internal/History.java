package dev.custody.internal;

import dev.custody.Site;

import java.util.ArrayList;
import java.util.List;

/**
 * A tracked block's sites: the allocation, and the last {@link #KEEP} events after it (a bounded
 * ring, so a block detached a million times costs no more).
 */
final class History {
    static final int KEEP = 4;

    private final Site allocated;
    private final Site[] recent = new Site[KEEP];
    private int count;

    History(Site allocated) {
        this.allocated = allocated;
    }

    synchronized void record(Site s) {
        recent[count++ % KEEP] = s;
    }

    Site allocation() {
        return allocated;
    }

    /** The most recent event of this kind, or null. */
    synchronized Site last(String event) {
        for (int i = count - 1; i >= Math.max(0, count - KEEP); i--) {
            Site s = recent[i % KEEP];
            if (s.event().equals(event)) {
                return s;
            }
        }
        return null;
    }

    /** Allocation first, then the recent events oldest first. */
    synchronized List<Site> sites() {
        List<Site> out = new ArrayList<>(KEEP + 1);
        out.add(allocated);
        for (int i = Math.max(0, count - KEEP); i < count; i++) {
            out.add(recent[i % KEEP]);
        }
        return out;
    }
}
