package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Custody;
import dev.custody.Heap;
import dev.custody.Tag;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

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
 *   <li><b>shown</b> figures are witnesses that cannot be judged in this process (see
 *       {@link Witnesses}): printed and charted, never a reason.</li>
 * </ul>
 *
 * <p>A figure recorded with {@link #books(Heap, Tag)} is an exact figure that also knows its blocks:
 * when it grows, the verdict lists the blocks live since the first cycle grouped by allocation site
 * (sites are known for the heap's tracked blocks, {@code --track}).
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

    /**
     * One printed line.
     *
     * @param cycle the cycle's number, as given to {@link #begin(int)}
     * @param exact the exact figures ({@link #exact}, {@link #books}) by name, in the order recorded
     * @param witness the witness and shown figures ({@link #witness}, {@link #shown}) by name, in
     *     the order recorded
     */
    public record Row(int cycle, Map<String, Long> exact, Map<String, Long> witness) {
    }

    /**
     * The blocks of one figure that were born after its first cycle and are still live, sharing an
     * allocation site, less those of the first cycle's blocks of that site that have died since.
     *
     * @param figure the figure, such as {@code "libc/stairs B"}
     * @param site the allocation site's caller frame, or {@code "(site not tracked)"}
     * @param blocks how many blocks
     * @param bytes their bytes
     */
    public record SiteGroup(String figure, String site, int blocks, long bytes) {
        @Override
        public String toString() {
            return figure.substring(0, figure.length() - 2) + ": " + blocks + " block(s), " + bytes
                    + " B more than at cycle 1, allocated at " + site;
        }
    }

    /** A books figure's heap and tag, and the blocks it had live at its first cycle. */
    private record Books(Heap heap, Tag tag, Map<Block, String> first) {
    }

    private static final String UNTRACKED = "(site not tracked)";

    private final String scenario;
    private final PrintStream out;
    private final List<Row> rows = new ArrayList<>();
    private final Map<String, Long> tolerances = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private final Map<String, Books> books = new LinkedHashMap<>();
    private final Map<String, List<SiteGroup>> sites = new LinkedHashMap<>();
    private IntConsumer onCycleEnd = c -> { };
    private Map<String, Long> exact;
    private Map<String, Long> witness;
    private int cycle = -1;
    /** Each column's width, set by the header; null until it is printed. */
    private Map<String, Integer> widths;

    /**
     * An empty log, with no cycle begun.
     *
     * @param scenario the scenario's name, which starts every printed line as {@code [name]}
     * @param out where the table lines, notes and failures are printed
     */
    public CycleLog(String scenario, PrintStream out) {
        this.scenario = scenario;
        this.out = out;
    }

    /**
     * The scenario this log records.
     *
     * @return the name given to the constructor
     */
    public String scenario() {
        return scenario;
    }

    /** Called with the cycle's number after each {@link #end()}: the progress line of a terminal. */
    void onCycleEnd(IntConsumer listener) {
        this.onCycleEnd = listener;
    }

    /**
     * Starts recording the figures of a cycle.
     *
     * @param cycle the cycle's number, printed in the table's first column
     * @throws IllegalStateException if the previous cycle was not {@link #end() ended}
     */
    public void begin(int cycle) {
        if (this.cycle >= 0) {
            throw new IllegalStateException("cycle " + this.cycle + " was not ended");
        }
        this.cycle = cycle;
        this.exact = new LinkedHashMap<>();
        this.witness = new LinkedHashMap<>();
    }

    /**
     * A figure that must return to its first-cycle value.
     *
     * @param name the column's name, such as {@code "game/paths live B"}; the same in every cycle
     * @param value the figure's value in this cycle
     * @throws IllegalStateException if no cycle is begun
     */
    public void exact(String name, long value) {
        requireOpen();
        exact.put(name, value);
    }

    /**
     * The live bytes of {@code tag} on {@code heap}, as the exact figure {@code "heap/tag B"}. When it
     * is above its first cycle's value at the end of a cycle, the blocks born since are read
     * ({@link Custody#leaks(Heap)}) and grouped by allocation site for the verdict.
     *
     * @param heap the heap whose books are read
     * @param tag the tag whose live bytes are the figure
     * @throws IllegalStateException if no cycle is begun
     */
    public void books(Heap heap, Tag tag) {
        requireOpen();
        String name = heap.name() + "/" + tag + " B";
        long live = heap.stats().tag(tag).liveBytes();
        exact.put(name, live);
        Books b = books.get(name);
        if (b == null) {
            Map<Block, String> first = new IdentityHashMap<>();
            Map<Long, String> sitesNow = sitesOf(heap);
            heap.liveBlocks().stream().filter(x -> x.tag().equals(tag))
                    .forEach(x -> first.put(x, sitesNow.getOrDefault(x.address(), UNTRACKED)));
            books.put(name, new Books(heap, tag, first));
        } else if (!rows.isEmpty() && live > rows.getFirst().exact().getOrDefault(name, Long.MAX_VALUE)) {
            sites.put(name, bornSince(name, b));
        } else {
            sites.remove(name);
        }
    }

    /**
     * The blocks of the figure's tag born after its first cycle and live now, by allocation site, less
     * as many of the first cycle's blocks of that site as have died since: a block that a healthy
     * scenario replaces every cycle (the last level's stairs' list) cancels out, and what is left is
     * what the figure gained.
     */
    private static List<SiteGroup> bornSince(String name, Books b) {
        Map<String, long[]> bySite = new LinkedHashMap<>();
        Map<Long, String> sitesNow = sitesOf(b.heap());
        for (Block x : b.heap().liveBlocks()) {
            if (x.tag().equals(b.tag()) && !b.first().containsKey(x)) {
                long[] v = bySite.computeIfAbsent(sitesNow.getOrDefault(x.address(), UNTRACKED), k -> new long[2]);
                v[0]++;
                v[1] += x.byteSize();
            }
        }
        b.first().forEach((x, site) -> {
            long[] v = x.isLive() ? null : bySite.get(site);
            if (v != null) {
                v[0]--;
                v[1] -= x.byteSize();
            }
        });
        return bySite.entrySet().stream().filter(e -> e.getValue()[0] > 0 || e.getValue()[1] > 0)
                .sorted((p, q) -> Long.compare(q.getValue()[1], p.getValue()[1]))
                .map(e -> new SiteGroup(name, e.getKey(), (int) e.getValue()[0], e.getValue()[1])).toList();
    }

    /** The allocation site of every live block of {@code heap} that has one, by address. */
    private static Map<Long, String> sitesOf(Heap heap) {
        Map<Long, String> sites = new java.util.HashMap<>();
        Custody.leaks(heap).forEach(l -> sites.put(l.address(), l.where()));
        return sites;
    }

    /**
     * A witness that cannot be judged in this process (the RSS of a JVM whose Java heap is not fixed and
     * pre-touched): printed and charted, never a reason.
     *
     * @param name the column's name, such as {@code "RSS B"}
     * @param value the figure's value in this cycle
     * @throws IllegalStateException if no cycle is begun
     */
    public void shown(String name, long value) {
        requireOpen();
        witness.put(name, value);
    }

    /**
     * An independent, noisy figure, allowed to grow by at most {@code toleranceBytes} (judged on
     * medians, see the class comment).
     *
     * @param name the column's name, such as {@code "mallinfo2 B"}
     * @param value the figure's value in this cycle, in bytes
     * @param toleranceBytes how much the late median may pass the early one before the verdict
     *     is GROWING; the last value given for a name counts
     * @throws IllegalStateException if no cycle is begun
     */
    public void witness(String name, long value, long toleranceBytes) {
        requireOpen();
        witness.put(name, value);
        tolerances.put(name, toleranceBytes);
    }

    /**
     * Ends the cycle and prints its line (and, at the first cycle, the table's header before it).
     *
     * @throws IllegalStateException if no cycle is begun
     */
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
        int ended = cycle;
        cycle = -1;
        onCycleEnd.accept(ended);
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

    /**
     * Prints and keeps a line worth showing, such as a mistake custody caught. It may be called
     * between cycles.
     *
     * @param line the text, printed after {@code [scenario] }
     */
    public void note(String line) {
        notes.add(line);
        out.println("[" + scenario + "] " + line);
    }

    /**
     * A misuse that custody refused, as the demo mistakes make: a note, also listed as a refusal in
     * the report.
     *
     * @param line what was refused, with custody's message
     */
    public void refused(String line) {
        refusals.add(line);
        note(line);
    }

    /**
     * Records a failure and prints it: the verdict will not be STABLE, and the run's outcome is
     * FAILED.
     *
     * @param reason what failed, for the verdict and the report
     */
    public void fail(String reason) {
        failures.add(reason);
        out.println("[" + scenario + "] FAILURE: " + reason);
    }

    /**
     * The cycles ended so far.
     *
     * @return an unmodifiable copy of the rows, in order
     */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /**
     * The notes kept so far ({@link #note}, refusals included).
     *
     * @return an unmodifiable copy, in order
     */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * The judged witnesses' tolerances in bytes, in the order first recorded.
     *
     * @return an unmodifiable copy, by witness name
     */
    public Map<String, Long> tolerances() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(tolerances));
    }

    /**
     * The misuses custody refused ({@link #refused(String)}), in order.
     *
     * @return an unmodifiable copy
     */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /**
     * The blocks born since the first cycle and live at the last, per books figure that grew, by
     * site, largest first.
     *
     * @return the groups of every figure recorded with {@link #books}; empty when none grew
     */
    public List<SiteGroup> leaksBySite() {
        return sites.values().stream().flatMap(List::stream).toList();
    }

    /**
     * The reasons given to {@link #fail(String)}, in order: a run with any is FAILED, not just GROWING.
     *
     * @return an unmodifiable copy
     */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /**
     * STABLE, or GROWING with the reasons: the failures, the exact figures that grew from the first
     * cycle to the last (with their leaks by site), and, from 4 cycles on, the witnesses beyond
     * their tolerance.
     *
     * @return the verdict on the cycles ended so far; not stable when none was
     */
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
                sites.getOrDefault(k, List.of()).forEach(g -> reasons.add(g.toString()));
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
     * @param scenario the scenario's name
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
