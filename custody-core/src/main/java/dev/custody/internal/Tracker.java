package dev.custody.internal;

import dev.custody.Site;
import dev.custody.Tracking;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The tracking strategy of a heap, chosen once per setting so that the untracked path has no
 * branches beyond one virtual call: {@link #OFF} does nothing at all.
 *
 * <p>{@link Tracking#SAMPLED} samples by bytes, as JFR's allocation sampler, tcmalloc and
 * async-profiler do: the bytes between two samples are drawn from an exponential distribution of
 * mean {@code N} (a geometric interval rounded to whole blocks), so the chance that a block is
 * sampled is {@code 1 - exp(-size / N)} whatever the mix of sizes, and a workload of small blocks
 * is sampled at the same byte rate as one of large blocks. The countdown is a plain field of the
 * tracker, not a per-thread one: two threads allocating on one heap at once may lose a decrement
 * now and then, which moves the rate a little and costs no lock, no atomic and no thread-local
 * lookup on the allocation path.
 */
abstract class Tracker {
    static {
        // Loads History, the return type of onAllocate: C2 will not inline a call whose signature
        // names a class not yet loaded, and with tracking off nothing else would load it.
        History.class.getName();
    }

    static final Tracker OFF = new Tracker(Tracking.OFF, 0) {
        @Override
        History onAllocate(BlockImpl b) {
            return null;
        }
    };

    final Tracking level;
    /** For {@link Tracking#SAMPLED}, the mean bytes between samples; 0 otherwise. */
    final int sampleBytes;

    private Tracker(Tracking level, int sampleBytes) {
        this.level = level;
        this.sampleBytes = sampleBytes;
    }

    static Tracker of(Tracking level, int sampleBytes) {
        return switch (level) {
            case OFF -> OFF;
            case FULL -> new Full();
            case SAMPLED -> new Sampled(sampleBytes);
        };
    }

    /** Returns the new block's history, or null if this block is not tracked. */
    abstract History onAllocate(BlockImpl b);

    /** The allocation's site, its JFR event, and its history. */
    static History track(BlockImpl b) {
        Site s = Sites.capture("allocate");
        AllocationEvent.emit(b.heap.name(), b.tag.name(), b.size, b.address, s);
        return new History(s);
    }

    private static final class Full extends Tracker {
        Full() {
            super(Tracking.FULL, 0);
        }

        @Override
        History onAllocate(BlockImpl b) {
            return track(b);
        }
    }

    private static final class Sampled extends Tracker {
        private final double mean;
        /** Bytes left until the next sample; racy by design (see the class description). */
        private long countdown;

        Sampled(int mean) {
            super(Tracking.SAMPLED, mean);
            this.mean = mean;
            this.countdown = nextInterval();
        }

        @Override
        History onAllocate(BlockImpl b) {
            long left = countdown - Math.max(b.size, 1);
            if (left > 0) {
                countdown = left;
                return null;
            }
            countdown = nextInterval();
            return track(b);
        }

        /** An exponential interval of mean {@link #mean}, at least 1 B. */
        private long nextInterval() {
            double u = ThreadLocalRandom.current().nextDouble(); // in [0, 1): 1 - u is in (0, 1]
            return Math.max(1, (long) Math.ceil(-Math.log(1 - u) * mean));
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
