package dev.custody.agent.boot;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The books by source kind and owner, for the agent's MXBeans. */
public final class Books {
    /** The kinds a block can be of, as the report names them. */
    public static final List<String> KINDS = List.of("direct-buffer", "arena", "unsafe", "jdk-internal", "mapped");

    /**
     * One kind's figures, since the agent started.
     *
     * @param liveBytes bytes of the blocks now live
     * @param liveBlocks blocks now live: allocations less frees
     * @param allocations blocks ever allocated
     * @param frees blocks ever freed
     */
    public record Figures(long liveBytes, long liveBlocks, long allocations, long frees) {
        Figures plus(Rows r, int row) {
            return new Figures(liveBytes + r.liveBytes(row), liveBlocks + r.allocations(row) - r.frees(row),
                    allocations + r.allocations(row), frees + r.frees(row));
        }
    }

    private static final Figures NONE = new Figures(0, 0, 0, 0);

    private Books() {}

    /**
     * The figures of one kind, summed over its owners and sites, read now.
     *
     * @param kind one of {@link #KINDS}
     * @return the kind's figures; all zero if no block of the kind was seen
     * @throws IllegalArgumentException if {@code kind} is not one of {@link #KINDS}
     */
    public static Figures of(String kind) {
        Rows r = Hooks.ROWS;
        int k = index(kind);
        Figures f = NONE;
        for (int row = 0, n = r.count(); row < n; row++) {
            if (r.kind(row) == k) {
                f = f.plus(r, row);
            }
        }
        return f;
    }

    /**
     * The figures of one kind by owner label, sorted by owner, read now.
     *
     * @param kind one of {@link #KINDS}
     * @return a new map from owner label to that owner's figures of the kind; empty if none
     * @throws IllegalArgumentException if {@code kind} is not one of {@link #KINDS}
     */
    public static Map<String, Figures> byOwner(String kind) {
        Rows r = Hooks.ROWS;
        int k = index(kind);
        Map<String, Figures> out = new TreeMap<>();
        for (int row = 0, n = r.count(); row < n; row++) {
            if (r.kind(row) == k) {
                out.merge(r.owner(row), NONE.plus(r, row), (a, b) -> new Figures(a.liveBytes + b.liveBytes,
                        a.liveBlocks + b.liveBlocks, a.allocations + b.allocations, a.frees + b.frees));
            }
        }
        return out;
    }

    private static int index(String kind) {
        int i = KINDS.indexOf(kind);
        if (i < 0) {
            throw new IllegalArgumentException("no source kind '" + kind + "' (known: " + KINDS + ")");
        }
        return i + 1; // Rows.KIND_NAMES has the agent's own kind first
    }
}
