package dev.custody.agent.boot;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The books: one row per (kind, owner, site), with live bytes, peak, allocations and frees.
 *
 * <p>Each counter is an atomic cell, so every row is exact under concurrent use; live blocks are
 * {@code allocations - frees}. Rows are capped at {@link #MAX_ROWS}: past the cap a new
 * combination is booked in its kind's "(other sites)" row, so a program with unbounded distinct
 * owners (say, one arena label per creation) cannot grow the books without bound.
 */
final class Rows {
    static final String[] KIND_NAMES = {"agent", "direct-buffer", "arena", "unsafe", "jdk-internal", "mapped"};
    /** The agent's own allocations: booked so that their frees are recognised, never reported. */
    static final int AGENT = 0;
    static final int DIRECT = 1;
    static final int ARENA = 2;
    static final int UNSAFE = 3;
    static final int JDK = 4;
    static final int MAPPED = 5;

    static final int MAX_ROWS = 4096;
    static final String OTHER_SITES = "(other sites)";

    private static final int STRIDE = 8; // one 64-byte line per row: rows of different threads do not share
    private static final int LIVE = 0;
    private static final int PEAK = 1;
    private static final int ALLOCATIONS = 2;
    private static final int FREES = 3;

    private record Key(int kind, String owner, String site) {}

    private final AtomicLongArray cells = new AtomicLongArray(MAX_ROWS * STRIDE);
    private final ConcurrentHashMap<Key, Integer> ids = new ConcurrentHashMap<>();
    // Row columns, written once per row before its id is published through `ids` or a cache.
    private final int[] kinds = new int[MAX_ROWS];
    private final String[] owners = new String[MAX_ROWS];
    private final String[] sites = new String[MAX_ROWS];
    private int count;
    /** Row by [kind][site id] for the kinds whose owner follows from the site; 0 = not yet looked up. */
    private volatile int[][] bySite = new int[KIND_NAMES.length][256];

    Rows() {
        row(AGENT, "custody-agent", "(agent)");
    }

    /** The row of (kind, owner, site), made on first use. */
    int row(int kind, String owner, String site) {
        Key key = new Key(kind, owner, site);
        Integer id = ids.get(key);
        return id != null ? id : make(key);
    }

    private synchronized int make(Key key) {
        Integer id = ids.get(key);
        if (id != null) {
            return id;
        }
        if (count >= MAX_ROWS - KIND_NAMES.length) {
            Key other = new Key(key.kind, OTHER_SITES, OTHER_SITES);
            Integer o = ids.get(other);
            if (o != null) {
                return o;
            }
            key = other;
        }
        int n = count++;
        kinds[n] = key.kind;
        owners[n] = key.owner;
        sites[n] = key.site;
        ids.put(key, n);
        return n;
    }

    /** The row of a site whose kind fixes its owner: {@code owner}, or the site's own owner label when it is null. */
    int rowBySite(int kind, int site, String owner) {
        int[][] cache = bySite;
        int[] k = cache[kind];
        if (site < k.length) {
            int r = k[site];
            if (r != 0) {
                return r - 1;
            }
        }
        int r = row(kind, owner != null ? owner : Sites.owner(site), Sites.name(site));
        remember(kind, site, r);
        return r;
    }

    private synchronized void remember(int kind, int site, int row) {
        int[][] cache = bySite;
        if (site >= cache[kind].length) {
            int[][] grown = cache.clone();
            grown[kind] = Arrays.copyOf(cache[kind], Math.max(site + 1, cache[kind].length * 2));
            cache = grown;
        }
        cache[kind][site] = row + 1;
        bySite = cache;
    }

    void allocated(int row, long bytes) {
        int base = row * STRIDE;
        long live = cells.addAndGet(base + LIVE, bytes);
        cells.getAndIncrement(base + ALLOCATIONS);
        long peak = cells.get(base + PEAK);
        while (live > peak && !cells.weakCompareAndSetVolatile(base + PEAK, peak, live)) {
            peak = cells.get(base + PEAK);
        }
    }

    void freed(int row, long bytes) {
        int base = row * STRIDE;
        cells.addAndGet(base + LIVE, -bytes);
        cells.getAndIncrement(base + FREES);
    }

    /** A reallocation that failed left its block live: its free and its new allocation are undone, the bytes stay. */
    void undoReallocation(int row) {
        int base = row * STRIDE;
        cells.getAndDecrement(base + FREES);
        cells.getAndDecrement(base + ALLOCATIONS);
    }

    int count() {
        synchronized (this) {
            return count;
        }
    }

    int kind(int row) {
        return kinds[row];
    }

    String owner(int row) {
        return owners[row];
    }

    String site(int row) {
        return sites[row];
    }

    long liveBytes(int row) {
        return cells.get(row * STRIDE + LIVE);
    }

    long peakBytes(int row) {
        return cells.get(row * STRIDE + PEAK);
    }

    long allocations(int row) {
        return cells.get(row * STRIDE + ALLOCATIONS);
    }

    long frees(int row) {
        return cells.get(row * STRIDE + FREES);
    }
}
