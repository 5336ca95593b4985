package dev.custody;

import dev.custody.internal.Words;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Law 6: a heap was closed with live blocks. Nothing was freed. The report lists every leak (tag,
 * size, allocation site when tracked) and a grouping by site; blocks marked
 * {@link Block#markNotALeak()} are left out.
 */
public class LeakException extends CustodyException {
    /** The leaks, as reported. */
    private final List<Leak> leaks;

    /**
     * The leak report of a heap's close.
     *
     * @param heap the heap that was closed
     * @param leaks its live blocks, not marked as no leak
     */
    public LeakException(String heap, List<Leak> leaks) {
        this(heap, leaks, "heap '" + heap + "' closed with " + Words.count(leaks.size(), "live block") + ", "
                + leaks.stream().mapToLong(Leak::size).sum() + " B; nothing was freed.");
    }

    /**
     * A check other than a close found {@code leaks} in {@code heap}: {@code headline} says what was
     * checked, and the report of sites and blocks follows it.
     *
     * @param heap the heap checked
     * @param leaks its live blocks, not marked as no leak
     * @param headline the report's first line
     */
    public LeakException(String heap, List<Leak> leaks, String headline) {
        super(report(headline, leaks), heap, null, leaks.stream().mapToLong(Leak::size).sum(),
                leaks.stream().map(Leak::site).filter(java.util.Objects::nonNull).limit(16).toList());
        this.leaks = List.copyOf(leaks);
    }

    /**
     * The leaks, in the heap's order.
     *
     * @return every leaked block
     */
    public List<Leak> leaks() {
        return leaks;
    }

    /**
     * Leaked bytes and blocks per allocation site (the caller frame), largest first.
     *
     * @return for each {@code "tag @ site"}, its bytes and its blocks
     */
    public Map<String, long[]> bySite() {
        return bySite(leaks);
    }

    /**
     * Bytes and blocks per tag and allocation site ({@code tag @ Class.method(File.java:line)}, or
     * {@value Leak#NOT_TRACKED}), largest first: {@code [bytes, blocks]}.
     *
     * @param leaks the leaks
     * @return for each {@code "tag @ site"}, its bytes and its blocks
     */
    public static Map<String, long[]> bySite(List<Leak> leaks) {
        Map<String, long[]> m = leaks.stream().collect(Collectors.groupingBy(l -> l.tag() + " @ " + l.where(),
                Collectors.reducing(new long[2], l -> new long[] {l.size(), 1},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]})));
        return m.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static String report(String headline, List<Leak> leaks) {
        StringBuilder sb = new StringBuilder(headline).append("\nBy site, largest first:");
        bySite(leaks).forEach((site, v) -> sb.append("\n  ").append(v[0]).append(" B in ")
                .append(Words.count(v[1], "block")).append(": ").append(site));
        sb.append("\nBlocks:");
        leaks.stream().limit(50).forEach(l -> sb.append("\n  ").append(l));
        if (leaks.size() > 50) {
            sb.append("\n  ... and ").append(leaks.size() - 50).append(" more");
        }
        if (leaks.stream().anyMatch(l -> l.site() == null)) {
            sb.append("\n(").append(Tracking.UNTRACKED_HINT).append(")");
        }
        return sb.toString();
    }
}
