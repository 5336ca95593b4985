package dev.custody.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record of a scenario's cycles: prints one table line per cycle and judges the run.
 *
 * <p>Two kinds of figures:
 * <ul>
 *   <li><b>exact</b> figures are books that must come back to where the first cycle left them:
 *       custody's live bytes per heap and tag, a library's own live counters, a server's pins.
 *       Any growth from the first cycle to the last is GROWING.</li>
 *   <li><b>witness</b> figures are independent and noisy process measures (glibc mallinfo2, RSS),
 *       each with a stated tolerance in bytes: GROWING if the median of the last third of the
 *       cycles exceeds the median of the first third (after cycle 1, the warm-up) by more than
 *       the tolerance.</li>
 * </ul>
 *
 * <pre>{@code
 * log.begin(cycle);
 * log.exact("game/paths live B", heap.stats().tag(paths).liveBytes());
 * log.witness("mallinfo2 B", ProcessMemory.mallinfoInUse(), 1 << 20);
 * log.end();
 * }</pre>
 */
public final class CycleLog {
    /** The widest a table line should be, in columns. */
    static final int MAX_LINE = 160;

    /** One printed line. */
    public record Row(int cycle, Map<String, Long> exact, Map<String, Long> witness) {
    }

    private final String scenario;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Long> tolerances = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private Map<String, Long> exact;
    private Map<String, Long> witness;
    private int cycle = -1;
    /** Each column's width, set by the header; null until it is printed. */
    private Map<String, Integer> widths;

    public CycleLog(String scenario, PrintStream out) {
        this.scenario = scenario;
        this.out = out;
    }

    public String scenario() {
        return scenario;
    }

    /** Starts recording the figures of a cycle. */
    public void begin(int cycle) {
        if (this.cycle >= 0) {
            throw new IllegalStateException("cycle " + this.cycle + " was not ended");
        }
        this.cycle = cycle;
        this.exact = new LinkedHashMap<>();
        this.witness = new LinkedHashMap<>();
    }

    /** A figure that must return to its first-cycle value. */
    public void exact(String name, long value) {
        requireOpen();
        exact.put(name, value);
    }

    /** An independent, noisy figure, allowed to grow by at most {@code toleranceBytes}. */
    public void witness(String name, long value, long toleranceBytes) {
        requireOpen();
        witness.put(name, value);
        tolerances.put(name, toleranceBytes);
    }

    /** Ends the cycle and prints its line. */
    public void end() {
        requireOpen();
        rows.add(new Row(cycle, new LinkedHashMap<>(exact), new LinkedHashMap<>(witness)));
        if (widths == null) {
            printHeader(rows.getLast());
        }
        StringBuilder line = new StringBuilder(String.format("[%s] %6d", scenario, cycle));
        exact.forEach((k, v) -> line.append(String.format("  %" + width(k) + "d", v)));
        witness.forEach((k, v) -> line.append(String.format("  %" + width(k) + "d", v)));
        out.println(line);
        cycle = -1;
    }

    private int width(String column) {
        return widths.getOrDefault(column, column.length());
    }

    /**
     * The column names on one line, each column as wide as its name or its first value; or, when
     * that line would pass {@value #MAX_LINE} columns, each name broken over two lines, so that a
     * column is as wide as the longer half of its name or its first value.
     */
    private void printHeader(Row first) {
        Map<String, Long> values = new LinkedHashMap<>(first.exact());
        values.putAll(first.witness());
        String prefix = String.format("[%s] %6s", scenario, "cycle");
        widths = new LinkedHashMap<>();
        values.forEach((k, v) -> widths.put(k, Math.max(k.length(), Long.toString(v).length())));
        int oneLine = prefix.length() + widths.values().stream().mapToInt(w -> 2 + w).sum();
        if (oneLine <= MAX_LINE) {
            StringBuilder h = new StringBuilder(prefix);
            widths.forEach((k, w) -> h.append(String.format("  %" + w + "s", k)));
            out.println(h);
            return;
        }
        StringBuilder top = new StringBuilder(" ".repeat(prefix.length()));
        StringBuilder bottom = new StringBuilder(prefix);
        values.forEach((k, v) -> {
            String[] halves = halves(k);
            int w = Math.max(Math.max(halves[0].length(), halves[1].length()), Long.toString(v).length());
            widths.put(k, w);
            top.append(String.format("  %" + w + "s", halves[0]));
            bottom.append(String.format("  %" + w + "s", halves[1]));
        });
        out.println(top.toString().stripTrailing());
        out.println(bottom);
    }

    /**
     * A name broken where its longer half is shortest: at a space (dropped) or after a {@code /}
     * (kept); {@code ""} over a name with neither.
     */
    static String[] halves(String name) {
        String[] best = {"", name};
        for (int i = 1; i < name.length(); i++) {
            char c = name.charAt(i);
            String[] h = c == ' ' ? new String[] {name.substring(0, i), name.substring(i + 1)}
                    : name.charAt(i - 1) == '/' ? new String[] {name.substring(0, i), name.substring(i)} : null;
            if (h != null && Math.max(h[0].length(), h[1].length()) < Math.max(best[0].length(), best[1].length())) {
                best = h;
            }
        }
        return best;
    }

    private void requireOpen() {
        if (cycle < 0) {
            throw new IllegalStateException("no cycle begun");
        }
    }

    /** Prints and keeps a line worth showing, such as a mistake custody caught. */
    public void note(String line) {
        notes.add(line);
        out.println("[" + scenario + "] " + line);
    }

    /** Records a failure: the verdict will not be STABLE. */
    public void fail(String reason) {
        failures.add(reason);
        out.println("[" + scenario + "] FAILURE: " + reason);
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public Map<String, Long> tolerances() {
        return Map.copyOf(tolerances);
    }

    /** The reasons given to {@link #fail(String)}, in order: a run with any is FAILED, not just GROWING. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** STABLE, or GROWING with the reasons. */
    public Verdict verdict() {
        List<String> reasons = new ArrayList<>(failures);
        if (rows.isEmpty()) {
            reasons.add("no cycle completed");
            return new Verdict(scenario, false, reasons);
        }
        Row first = rows.getFirst();
        Row last = rows.getLast();
        first.exact().forEach((k, v0) -> {
            Long v1 = last.exact().get(k);
            if (v1 != null && v1 > v0) {
                reasons.add(k + " grew from " + v0 + " (cycle " + first.cycle() + ") to " + v1 + " (cycle "
                        + last.cycle() + ")");
            }
        });
        if (rows.size() >= 4) {
            List<Row> measured = rows.subList(1, rows.size());
            int third = Math.max(1, measured.size() / 3);
            tolerances.forEach((k, tol) -> {
                long early = median(measured.subList(0, third), k);
                long late = median(measured.subList(measured.size() - third, measured.size()), k);
                if (late - early > tol) {
                    reasons.add(k + " grew by " + (late - early) + " B (median " + early + " -> " + late
                            + "), beyond the tolerance of " + tol + " B");
                }
            });
        }
        return new Verdict(scenario, reasons.isEmpty(), reasons);
    }

    private static long median(List<Row> rows, String key) {
        long[] v = rows.stream().map(r -> r.witness().get(key)).filter(java.util.Objects::nonNull)
                .mapToLong(Long::longValue).sorted().toArray();
        return v.length == 0 ? 0 : v[v.length / 2];
    }

    /**
     * The end of a run.
     *
     * @param stable true for STABLE
     * @param reasons why not, when GROWING or FAILED
     */
    public record Verdict(String scenario, boolean stable, List<String> reasons) {
        @Override
        public String toString() {
            return "[" + scenario + "] verdict: " + (stable ? "STABLE" : "GROWING") + (reasons.isEmpty() ? ""
                    : "\n" + String.join("\n", reasons.stream().map(r -> "  - " + r).toList()));
        }
    }
}
