package dev.custody.agent.boot;

import java.util.ArrayList;
import java.util.List;

/** Sampled allocations with their whole stacks: the newest {@link #KEPT}, and a count of all. */
final class Samples {
    static final int KEPT = 1024;

    /** One sampled allocation. */
    record Sample(long address, long bytes, int row, StackWalker.StackFrame[] frames) {
        String[] stack() {
            return Stacks.format(frames);
        }
    }

    private final Sample[] ring = new Sample[KEPT];
    private long total;

    synchronized void add(Sample s) {
        ring[(int) (total++ % KEPT)] = s;
    }

    /** The kept samples, oldest first. */
    synchronized List<Sample> kept() {
        List<Sample> out = new ArrayList<>();
        long first = Math.max(0, total - KEPT);
        for (long i = first; i < total; i++) {
            out.add(ring[(int) (i % KEPT)]);
        }
        return out;
    }

    synchronized long total() {
        return total;
    }
}
