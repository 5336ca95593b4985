package dev.custody.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An inline SVG line chart of a scenario's per-cycle figures. Each figure is drawn as its change
 * since its first cycle, so that books in kilobytes and a resident set in hundreds of megabytes
 * share one axis and a flat line means "came home". Exact figures are solid, witnesses dashed;
 * the legend gives each figure's kind, tolerance and first and last values.
 */
final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
        "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"};
    private static final int WIDTH = 900;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 20;
    private static final int PLOT_HEIGHT = 260;
    private static final int AXIS_SPACE = 50;
    private static final int LEGEND_LINE = 20;
    private static final int MAX_MARKED_CYCLES = 60;

    private record Series(String name, boolean exact, List<long[]> points) {
        long first() {
            return points.getFirst()[1];
        }

        long last() {
            return points.getLast()[1];
        }
    }

    private SvgChart() {
    }

    /** Writes the chart of {@code log}'s rows, or a line saying there is none. */
    static void write(Xhtml x, CycleLog log) {
        List<CycleLog.Row> rows = log.rows();
        if (rows.isEmpty()) {
            x.element("p", "No cycle completed: nothing to chart.");
            return;
        }
        List<Series> series = series(rows);
        int firstCycle = rows.getFirst().cycle();
        int lastCycle = Math.max(rows.getLast().cycle(), firstCycle + 1);
        long lo = 0;
        long hi = 0;
        for (Series s : series) {
            for (long[] p : s.points()) {
                lo = Math.min(lo, p[1] - s.first());
                hi = Math.max(hi, p[1] - s.first());
            }
        }
        long step = niceStep(Math.max(hi - lo, 1) / 5.0);
        lo = Math.floorDiv(lo, step) * step;
        hi = Math.max(-Math.floorDiv(-hi, step) * step, lo + step);
        int height = TOP + PLOT_HEIGHT + AXIS_SPACE + LEGEND_LINE * series.size();
        Scale sx = new Scale(firstCycle, lastCycle, LEFT, WIDTH - RIGHT);
        Scale sy = new Scale(lo, hi, TOP + PLOT_HEIGHT, TOP);

        x.open("svg", "class", "chart", "width", Integer.toString(WIDTH), "height", Integer.toString(height),
                "viewBox", "0 0 " + WIDTH + " " + height, "role", "img",
                "aria-label", "Per-cycle figures of " + log.scenario());
        x.element("title", "Per-cycle figures of " + log.scenario() + ", as change since the first cycle");
        for (long v = lo; v <= hi; v += step) {
            double y = sy.at(v);
            x.empty("line", "x1", fmt(LEFT), "x2", fmt(WIDTH - RIGHT), "y1", fmt(y), "y2", fmt(y),
                    "stroke", v == 0 ? "#888" : "#e4e4e4", "stroke-width", "1");
            x.element("text", compact(v), "x", fmt(LEFT - 6), "y", fmt(y + 4), "text-anchor", "end",
                    "font-size", "11");
        }
        long xStep = niceStep((lastCycle - firstCycle) / 10.0);
        for (long c = firstCycle; c <= lastCycle; c += xStep) {
            double px = sx.at(c);
            x.empty("line", "x1", fmt(px), "x2", fmt(px), "y1", fmt(TOP + PLOT_HEIGHT), "y2",
                    fmt(TOP + PLOT_HEIGHT + 4), "stroke", "#333");
            x.element("text", Long.toString(c), "x", fmt(px), "y", fmt(TOP + PLOT_HEIGHT + 17),
                    "text-anchor", "middle", "font-size", "11");
        }
        x.empty("line", "x1", fmt(LEFT), "x2", fmt(LEFT), "y1", fmt(TOP), "y2", fmt(TOP + PLOT_HEIGHT),
                "stroke", "#333");
        x.empty("line", "x1", fmt(LEFT), "x2", fmt(WIDTH - RIGHT), "y1", fmt(TOP + PLOT_HEIGHT), "y2",
                fmt(TOP + PLOT_HEIGHT), "stroke", "#333");
        x.element("text", "cycle", "x", fmt((LEFT + WIDTH - RIGHT) / 2.0), "y", fmt(TOP + PLOT_HEIGHT + 34),
                "text-anchor", "middle", "font-size", "12");
        x.element("text", "change since first cycle", "x", "14", "y", fmt(TOP + PLOT_HEIGHT / 2.0),
                "text-anchor", "middle", "font-size", "12",
                "transform", "rotate(-90 14 " + fmt(TOP + PLOT_HEIGHT / 2.0) + ")");
        Map<String, Long> tolerances = log.tolerances();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            plot(x, s, colour, sx, sy, rows.size() <= MAX_MARKED_CYCLES);
            legend(x, s, colour, tolerances.get(s.name()), TOP + PLOT_HEIGHT + AXIS_SPACE + LEGEND_LINE * i);
        }
        x.close();
    }

    private static void plot(Xhtml x, Series s, String colour, Scale sx, Scale sy, boolean marks) {
        StringBuilder points = new StringBuilder();
        for (long[] p : s.points()) {
            points.append(fmt(sx.at(p[0]))).append(',').append(fmt(sy.at(p[1] - s.first()))).append(' ');
        }
        x.open("polyline", "points", points.toString().trim(), "fill", "none", "stroke", colour,
                "stroke-width", "2", "stroke-dasharray", s.exact() ? "none" : "6 4");
        x.element("title", s.name());
        x.close();
        if (marks) {
            for (long[] p : s.points()) {
                x.empty("circle", "cx", fmt(sx.at(p[0])), "cy", fmt(sy.at(p[1] - s.first())), "r", "2.5",
                        "fill", colour);
            }
        }
    }

    private static void legend(Xhtml x, Series s, String colour, Long tolerance, int y) {
        x.empty("line", "x1", fmt(LEFT), "x2", fmt(LEFT + 30), "y1", fmt(y), "y2", fmt(y), "stroke", colour,
                "stroke-width", "3", "stroke-dasharray", s.exact() ? "none" : "6 4");
        String kind = s.exact() ? "exact" : "witness, tolerance " + (tolerance == null ? 0 : tolerance);
        x.element("text", s.name() + " (" + kind + "): " + s.first() + " at first cycle, " + s.last()
                + " at last", "x", fmt(LEFT + 38), "y", fmt(y + 4), "font-size", "12");
    }

    private static List<Series> series(List<CycleLog.Row> rows) {
        Set<String> exact = new LinkedHashSet<>();
        Set<String> witness = new LinkedHashSet<>();
        rows.forEach(r -> {
            exact.addAll(r.exact().keySet());
            witness.addAll(r.witness().keySet());
        });
        List<Series> out = new ArrayList<>();
        exact.forEach(name -> out.add(new Series(name, true, points(rows, name, true))));
        witness.forEach(name -> out.add(new Series(name, false, points(rows, name, false))));
        return out;
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

    /** 1, 2 or 5 times a power of ten, at least {@code raw} and at least 1. */
    static long niceStep(double raw) {
        long step = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (step * m >= raw) {
                    return step * m;
                }
            }
            step *= 10;
        }
    }

    /** A short label: 950, 12.5k, 3.2M, 1.1G (decimal units; figures are bytes or counts). */
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
