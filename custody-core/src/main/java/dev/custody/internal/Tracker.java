package dev.custody.internal;

import dev.custody.Site;
import dev.custody.Tracking;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The tracking strategy of a heap, chosen once per setting so that the untracked path has no
 * branches beyond one virtual call: {@link #OFF} does nothing at all.
 */
abstract class Tracker {
    static {
        // Loads History, the return type of onAllocate: C2 will not inline a call whose signature
        // names a class not yet loaded, and with tracking off nothing else would load it.
        History.class.getName();
    }

    static final Tracker OFF = new Tracker(Tracking.OFF) {
        @Override
        History onAllocate(BlockImpl b) {
            return null;
        }
    };

    final Tracking level;

    private Tracker(Tracking level) {
        this.level = level;
    }

    static Tracker of(Tracking level, int sampleEvery) {
        return switch (level) {
            case OFF -> OFF;
            case FULL -> new Recording(Tracking.FULL, 1);
            case SAMPLED -> new Recording(Tracking.SAMPLED, sampleEvery);
        };
    }

    /** Returns the new block's history, or null if this block is not tracked. */
    abstract History onAllocate(BlockImpl b);

    private static final class Recording extends Tracker {
        private final int every;

        Recording(Tracking level, int every) {
            super(level);
            this.every = every;
        }

        @Override
        History onAllocate(BlockImpl b) {
            if (every > 1 && ThreadLocalRandom.current().nextInt(every) != 0) {
                return null;
            }
            Site s = Sites.capture("allocate");
            AllocationEvent.emit(b.heap.name(), b.tag.name(), b.size, b.address, s);
            return new History(s);
        }
    }

    /** Records an event on a tracked block; untracked blocks cost one null check. */
    static void record(BlockImpl b, String event) {
        History h = b.history;
        if (h != null) {
            Site s = Sites.capture(event);
            h.record(s);
            if (event.equals("free")) {
                FreeEvent.emit(b.heap.name(), b.tag.name(), b.size, b.address);
            }
        }
    }
}
