package dev.custody.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The charts of a scenario's per-cycle figures as small multiples: one small inline SVG per
 * figure, each on its own y axis in the figure's unit (binary for bytes: B, KiB, MiB, GiB), so
 * that no series lies flat at zero under another. An exact figure's chart draws the level of its
 * first cycle, where it must come back to; a judged witness's chart draws its tolerance as a band
 * over the median of the early cycles, the baseline the verdict measures from, so a rise inside the
 * band is within its allowance. The x axis labels the first and the last cycle. Every series is a
 * {@code polyline} of class {@code series} carrying {@code data-scenario} and {@code data-series},
 * which the browser check counts.
 */
final class SvgChart {
    private static final int WIDTH = 300;
    private static final int HEIGHT = 170;
    private static final int LEFT = 64;
    private static final int RIGHT = 12;
    private static final int TOP = 30;
    private static final int BOTTOM = 34;
    private static final int MAX_MARKED_CYCLES = 60;
    private static final String EXACT = "#1f77b4";
    private static final String WITNESS = "#9467bd";
    private static final String SHOWN = "#7f7f7f";

    /** One figure's values per cycle; {@code tolerance} is null for an exact or a shown figure. */
    record Series(String name, boolean exact, Long tolerance, List<long[]> points) {
        long first() {
            return points.getFirst()[1];
        }

        long last() {
            return points.getLast()[1];
        }

        String kind() {
            return exact ? "exact" : tolerance == null ? "shown, not judged" : "witness";
        }
    }

    private SvgChart() {
    }

    /** Every figure of {@code log}, exact ones first, in the order they were recorded. */
    static List<Series> series(CycleLog log) {
        List<CycleLog.Row> rows = log.rows();
        Set<String> exact = new LinkedHashSet<>();
        Set<String> witness = new LinkedHashSet<>();
        rows.forEach(r -> {
            exact.addAll(r.exact().keySet());
            witness.addAll(r.witness().keySet());
        });
        Map<String, Long> tolerances = log.tolerances();
        List<Series> out = new ArrayList<>();
        exact.forEach(name -> out.add(new Series(name, true, null, points(rows, name, true))));
        witness.forEach(name -> out.add(new Series(name, false, tolerances.get(name), points(rows, name, false))));
        return out;
    }

    /** Writes one small chart per figure of {@code log}, or a line saying there is none. */
    static void write(Xhtml x, CycleLog log) {
        List<CycleLog.Row> rows = log.rows();
        if (rows.isEmpty()) {
            x.element("p", "No cycle completed: nothing to chart.");
            return;
        }
        x.open("div", "class", "multiples");
        for (Series s : series(log)) {
            chart(x, log.scenario(), s, rows);
        }
        x.close();
    }

    private static void chart(Xhtml x, String scenario, Series s, List<CycleLog.Row> rows) {
        int firstCycle = rows.getFirst().cycle();
        int lastCycle = Math.max(rows.getLast().cycle(), firstCycle + 1);
        boolean bytes = s.name().endsWith(" B");
        long[] band = s.tolerance() == null ? null : band(s);
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (long[] p : s.points()) {
            lo = Math.min(lo, p[1]);
            hi = Math.max(hi, p[1]);
        }
        if (band != null) {
            lo = Math.min(lo, band[0]);
            hi = Math.max(hi, band[1]);
        }
        if (hi == lo) { // a flat series: a little room around it, and no negative bytes under a flat 0
            long pad = Math.max(1, Math.abs(hi) / 10);
            lo = lo >= 0 ? Math.max(0, lo - pad) : lo - pad;
            hi += pad;
        }
        Scale sx = new Scale(firstCycle, lastCycle, LEFT, WIDTH - RIGHT);
        Scale sy = new Scale(lo, hi, HEIGHT - BOTTOM, TOP);
        String colour = s.exact() ? EXACT : s.tolerance() == null ? SHOWN : WITNESS;
        x.open("svg", "class", "chart", "width", Integer.toString(WIDTH), "height", Integer.toString(HEIGHT),
                "viewBox", "0 0 " + WIDTH + " " + HEIGHT, "role", "img", "data-scenario", scenario,
                "aria-label", s.name() + " per cycle in " + scenario);
        x.element("title", s.name() + " (" + s.kind() + ") per cycle in " + scenario);
        x.element("text", s.name(), "x", "6", "y", "13", "font-size", "12", "font-weight", "bold");
        String sub = s.kind() + (s.tolerance() != null ? ", tolerance " + unit(s.tolerance(), bytes) : "")
                + ": " + unit(s.first(), bytes) + " \u2192 " + unit(s.last(), bytes);
        x.element("text", sub, "x", "6", "y", "25", "font-size", "10", "fill", "#555");
        if (band != null) {
            x.open("rect", "class", "band", "x", fmt(LEFT), "width", fmt(WIDTH - RIGHT - LEFT),
                    "y", fmt(sy.at(band[1])), "height", fmt(Math.max(1, sy.at(band[0]) - sy.at(band[1]))),
                    "fill", "#9467bd", "fill-opacity", "0.12");
            x.element("title", "tolerance band: the early median " + unit(band[0], bytes) + " plus "
                    + unit(s.tolerance(), bytes));
            x.close();
        }
        if (s.exact()) {
            double y = sy.at(s.first());
            x.empty("line", "x1", fmt(LEFT), "x2", fmt(WIDTH - RIGHT), "y1", fmt(y), "y2", fmt(y),
                    "stroke", "#1a7f37", "stroke-width", "1", "stroke-dasharray", "3 3");
        }
        for (long v : new long[] {lo, hi}) {
            double y = sy.at(v);
            x.empty("line", "x1", fmt(LEFT - 3), "x2", fmt(WIDTH - RIGHT), "y1", fmt(y), "y2", fmt(y),
                    "stroke", "#e4e4e4", "stroke-width", "1");
            x.element("text", unit(v, bytes), "x", fmt(LEFT - 5), "y", fmt(y + 4), "text-anchor", "end",
                    "font-size", "10");
        }
        x.empty("line", "x1", fmt(LEFT), "x2", fmt(LEFT), "y1", fmt(TOP), "y2", fmt(HEIGHT - BOTTOM), "stroke", "#333");
        x.empty("line", "x1", fmt(LEFT), "x2", fmt(WIDTH - RIGHT), "y1", fmt(HEIGHT - BOTTOM), "y2",
                fmt(HEIGHT - BOTTOM), "stroke", "#333");
        for (int c : new int[] {firstCycle, rows.getLast().cycle()}) {
            x.element("text", Integer.toString(c), "x", fmt(sx.at(c)), "y", fmt(HEIGHT - BOTTOM + 14),
                    "text-anchor", "middle", "font-size", "10", "class", c == firstCycle ? "first-cycle" : "last-cycle");
        }
        x.element("text", "cycle", "x", fmt((LEFT + WIDTH - RIGHT) / 2.0), "y", fmt(HEIGHT - 6),
                "text-anchor", "middle", "font-size", "10");
        StringBuilder points = new StringBuilder();
        for (long[] p : s.points()) {
            points.append(fmt(sx.at(p[0]))).append(',').append(fmt(sy.at(p[1]))).append(' ');
        }
        x.open("polyline", "class", "series", "data-scenario", scenario, "data-series", s.name(),
                "points", points.toString().trim(), "fill", "none", "stroke", colour, "stroke-width", "2",
                "stroke-dasharray", s.exact() ? "none" : "6 3");
        x.element("title", s.name());
        x.close();
        if (s.points().size() <= MAX_MARKED_CYCLES) {
            for (long[] p : s.points()) {
                x.empty("circle", "cx", fmt(sx.at(p[0])), "cy", fmt(sy.at(p[1])), "r", "2", "fill", colour);
            }
        }
        x.close();
    }

    /** The verdict's baseline (the median of the first third after cycle 1) and that plus the tolerance. */
    private static long[] band(Series s) {
        List<long[]> measured = s.points().size() > 1 ? s.points().subList(1, s.points().size()) : s.points();
        int third = Math.max(1, measured.size() / 3);
        long[] early = measured.subList(0, third).stream().mapToLong(p -> p[1]).sorted().toArray();
        long base = early[early.length / 2];
        return new long[] {base, base + s.tolerance()};
    }

    private static List<long[]> points(List<CycleLog.Row> rows, String name, boolean exact) {
        List<long[]> points = new ArrayList<>();
        for (CycleLog.Row r : rows) {
            Long v = (exact ? r.exact() : r.witness()).get(name);
            if (v != null) {
                points.add(new long[] {r.cycle(), v});
            }
        }
        return points;
    }

    /** A value in its unit: bytes in binary units (512 B, 1.5 KiB, 2 GiB), other figures as counts. */
    static String unit(long v, boolean bytes) {
        return bytes ? binary(v) : compact(v);
    }

    /** Bytes in binary units: 512 B, 1.5 KiB, 20 MiB, -3.2 GiB. */
    static String binary(long v) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double d = v;
        int u = 0;
        while (Math.abs(d) >= 1024 && u < units.length - 1) {
            d /= 1024;
            u++;
        }
        String s = u == 0 ? Long.toString(v) : String.format(Locale.ROOT, "%.1f", d);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " " + units[u];
    }

    /** A short count: 950, 12.5k, 3.2M, 1.1G. */
    static String compact(long v) {
        long a = Math.abs(v);
        if (a < 1_000) {
            return Long.toString(v);
        }
        String[] units = {"k", "M", "G", "T"};
        double d = v;
        int u = -1;
        while (Math.abs(d) >= 1_000 && u < units.length - 1) {
            d /= 1_000;
            u++;
        }
        String s = String.format(Locale.ROOT, "%.1f", d);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + units[u];
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A linear map from data to pixels. */
    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double at(double v) {
            return pixelFrom + (v - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }
}
