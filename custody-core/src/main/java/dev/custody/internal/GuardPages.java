package dev.custody.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Blocks on their own pages, each ending against a {@code PROT_NONE} guard page, within a budget
 * of mappings: a live guarded block is 2 mappings (its pages, its guard), a retired one 1 (all
 * {@code PROT_NONE}). Once the budget was reached, only one allocation in {@code sampleEvery} is
 * guarded (sticky: a working set that passed the budget once would pass it again).
 */
final class GuardPages {
    static final long MIN_ALIGNMENT = 16;

    final long budget;
    private final int sampleEvery;
    private final AtomicLong mappings = new AtomicLong();
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong sampleCounter = new AtomicLong();
    private volatile boolean sampling;

    GuardPages(long budget, int sampleEvery) {
        this.budget = budget;
        this.sampleEvery = sampleEvery;
    }

    /** Maps a guarded home for the block, or returns null if this block is not to be guarded. */
    DebugLayout map(long size, long alignment) {
        if (sampling && sampleCounter.getAndIncrement() % sampleEvery != 0) {
            return null;
        }
        if (mappings.addAndGet(2) > budget) {
            mappings.addAndGet(-2);
            sampling = true;
            return null;
        }
        long page = Mman.PAGE;
        long align = Math.max(alignment, MIN_ALIGNMENT);
        long data = Math.max(page, roundUp(size + (align > MIN_ALIGNMENT ? align : 0), page));
        long start = Mman.map(data + page);
        if (start == 0) {
            mappings.addAndGet(-2);
            return null;
        }
        Mman.protect(start + data, page, Mman.PROT_NONE);
        long guard = start + data;
        long user = (guard - size) & -align;
        live.incrementAndGet();
        return DebugLayout.mapping(start, data + page, user - start, guard - (user + size));
    }

    private static long roundUp(long n, long page) {
        return (n + page - 1) & -page;
    }

    /** Makes a freed block's pages inaccessible: its 2 mappings merge into 1. */
    void retire(DebugLayout l) {
        Mman.protect(l.start(), l.length(), Mman.PROT_NONE);
        live.decrementAndGet();
        mappings.decrementAndGet();
    }

    void unmap(DebugLayout l) {
        Mman.unmap(l.start(), l.length());
        mappings.decrementAndGet();
    }

    long live() {
        return live.get();
    }

    boolean sampling() {
        return sampling;
    }
}
