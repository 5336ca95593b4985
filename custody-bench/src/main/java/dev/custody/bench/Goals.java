package dev.custody.bench;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;

/**
 * The {@link Goal}s of the classes that ran, each as a ratio of medians from this run (wall clock
 * and CPU time), with the noise of both rows added in quadrature, and a verdict on each.
 */
final class Goals {
    private Goals() {
    }

    static String markdown(List<RatioTable.Row> rows) {
        StringBuilder sb = new StringBuilder();
        for (RatioTable.Row r : rows) {
            String cls = r.benchmark().substring(0, r.benchmark().lastIndexOf('.'));
            for (Goal g : goalsOf(cls, r.method())) {
                rows.stream().filter(p -> p.benchmark().equals(cls + "." + g.peer()) && p.params().equals(r.params()))
                        .findFirst().ifPresent(p -> line(sb, r, p, g));
            }
        }
        return sb.isEmpty() ? "" : "## Goals\n\n| goal | params | ratio (wall) | ratio (cpu) | at most | verdict |\n"
                + "|---|---|---:|---:|---:|---|\n" + sb + "\n";
    }

    private static Goal[] goalsOf(String cls, String method) {
        try {
            for (Method m : Class.forName(cls).getMethods()) {
                if (m.getName().equals(method)) {
                    return m.getAnnotationsByType(Goal.class);
                }
            }
            return new Goal[0];
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("benchmark class " + cls + " is not on the class path", e);
        }
    }

    private static void line(StringBuilder sb, RatioTable.Row r, RatioTable.Row peer, Goal g) {
        RatioTable.Score wall = r.wall().over(peer.wall());
        RatioTable.Score cpu = r.cpu().measured() && peer.cpu().measured() ? r.cpu().over(peer.cpu()) : null;
        double judged = cpu != null ? cpu.median() : wall.median();
        sb.append("| ").append(r.method()).append(" / ").append(peer.method()).append(": ").append(g.says())
                .append(" | ").append(r.paramText())
                .append(" | ").append(fmt(wall))
                .append(" | ").append(cpu == null ? "—" : fmt(cpu))
                .append(" | ").append(String.format(Locale.ROOT, "%.2f", g.atMost()))
                .append(" | ").append(judged <= g.atMost() ? "met" : "missed").append(" (cpu)")
                .append(" |\n");
    }

    private static String fmt(RatioTable.Score q) {
        return Double.isNaN(q.relError()) ? String.format(Locale.ROOT, "%.2f", q.median())
                : String.format(Locale.ROOT, "%.2f ± %.2f", q.median(), q.median() * q.relError());
    }
}
