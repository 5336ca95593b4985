package dev.custody.agent.boot;

import java.util.ArrayList;
import java.util.List;

/** Misuse seen by the hooks: reported, never enforced. The first {@link #KEPT} are kept whole. */
final class Misuses {
    static final int KEPT = 1000;
    /** Misuses said on standard error as they happen; the rest are in the report only. */
    static final int SAID = 100;

    /** One misuse: its kind ({@code unknown-free}, {@code double-free}), the freeing site, and the block's allocation site when known. */
    record Misuse(String kind, String site, long address, String allocationSite, String thread) {}

    private final List<Misuse> kept = new ArrayList<>();
    private long total;

    /** Records a misuse and says it at once on standard error: the allocator may abort the process next. */
    void add(Misuse m) {
        long n;
        synchronized (this) {
            n = ++total;
            if (kept.size() < KEPT) {
                kept.add(m);
            }
        }
        Hooks.misuseEvent(m);
        if (n <= SAID) {
            System.err.println("custody-agent: misuse: " + m.kind() + " of 0x" + Long.toHexString(m.address())
                    + " at " + m.site() + (m.allocationSite() == null ? "" : " (allocated at " + m.allocationSite() + ")")
                    + " on thread " + m.thread() + (n == SAID ? "; further misuse is counted in the report only" : ""));
        }
    }

    synchronized List<Misuse> kept() {
        return List.copyOf(kept);
    }

    synchronized long total() {
        return total;
    }
}
