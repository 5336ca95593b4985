package dev.custody.agent.boot;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's books at one moment, as JSON (the form {@code custody run} and {@code attach}
 * read) and as text (the form printed at exit).
 *
 * <p>The JSON holds {@code sources} (one entry per kind, owner and site), {@code arenas} (open ones
 * by kind, site and reachability; closed ones by kind and site, with counts), {@code leaks} (live
 * blocks by site, largest first, with {@code reachable}), {@code jdkInternal} (the JDK's own live
 * blocks, which are not leaks), {@code misuse}, {@code samples}, {@code beforeAttach},
 * {@code beforeAgent} and {@code unexplained}.
 */
public final class Report {
    /** Live blocks of one (row, reachability): a leak entry. */
    private record Group(int row, Boolean reachable, long bytes, long blocks) {}

    /** Open arenas of one (kind, site, reachability). */
    private record OpenGroup(String kind, String site, boolean reachable, long liveBytes, long count) {}

    private final List<Integer> rows = new ArrayList<>();
    private final List<Group> leaks = new ArrayList<>();
    private final List<Group> jdkInternal = new ArrayList<>();
    private final List<OpenGroup> openArenas = new ArrayList<>();
    private final List<Arenas.Closed> closedArenas;
    private final List<Misuses.Misuse> misuse;
    private final long misuseTotal;
    private final List<Samples.Sample> samples;
    private final long samplesTotal;
    private final long rssBytes;
    private final long explainedBytes;
    /** What NMT counts as "Other" of the books: every kind but mapped files. */
    private long explainedOtherBytes;
    private final long nmtOtherBytes;
    private final long liveBlocks;
    private final String mode;
    private final long pid;

    private Report(long nmtOtherBytes) {
        this.nmtOtherBytes = nmtOtherBytes;
        Rows r = Hooks.ROWS;
        int n = r.count();
        long explained = 0;
        for (int i = 0; i < n; i++) {
            if (i != Rows.AGENT && r.allocations(i) > 0) {
                rows.add(i);
                explained += r.liveBytes(i);
                if (r.kind(i) != Rows.MAPPED) {
                    explainedOtherBytes += r.liveBytes(i);
                }
            }
        }
        rows.sort(Comparator.comparingLong((Integer i) -> -r.liveBytes(i))
                .thenComparingLong(i -> -r.allocations(i)).thenComparingInt(i -> i));
        explainedBytes = explained;
        Map<Long, long[]> groups = new HashMap<>();
        long[] live = new long[1];
        Hooks.BLOCKS.forEach(b -> {
            if (b.row() == Rows.AGENT) {
                return;
            }
            live[0]++;
            int state = reachability(b.ref());
            long[] g = groups.computeIfAbsent(((long) b.row() << 2) | state, k -> new long[2]);
            g[0] += b.size();
            g[1]++;
        });
        liveBlocks = live[0];
        groups.forEach((key, g) -> {
            int row = (int) (key >>> 2);
            int state = (int) (key & 3);
            Boolean reachable = state == 0 ? null : state == 1;
            Group group = new Group(row, reachable, g[0], g[1]);
            (r.kind(row) == Rows.JDK ? jdkInternal : leaks).add(group);
        });
        Comparator<Group> largest = Comparator.comparingLong((Group g) -> -g.bytes)
                .thenComparing(g -> r.site(g.row)).thenComparingInt(g -> g.row);
        leaks.sort(largest);
        jdkInternal.sort(largest);
        Map<String, long[]> open = new HashMap<>();
        for (Arenas.Arena a : Hooks.ARENAS.open()) {
            boolean reachable = a.reachable();
            long[] g = open.computeIfAbsent(a.site.kind + "\u0000" + a.site.site + "\u0000" + reachable,
                    k -> new long[2]);
            g[0] += a.liveBytes();
            g[1]++;
        }
        open.forEach((k, g) -> {
            String[] p = k.split("\u0000", -1);
            openArenas.add(new OpenGroup(p[0], p[1], Boolean.parseBoolean(p[2]), g[0], g[1]));
        });
        openArenas.sort(Comparator.comparingLong((OpenGroup g) -> -g.liveBytes).thenComparing(OpenGroup::site)
                .thenComparing(OpenGroup::kind));
        closedArenas = Hooks.ARENAS.closed();
        misuse = Hooks.MISUSE.kept();
        misuseTotal = Hooks.MISUSE.total();
        samples = Hooks.SAMPLES.kept();
        samplesTotal = Hooks.SAMPLES.total();
        rssBytes = rss();
        mode = Hooks.attached() ? "attach" : "premain";
        pid = ProcessHandle.current().pid();
    }

    /** 0 unknown, 1 reachable, 2 unreachable: the owner object is collected and waits for its Cleaner. */
    private static int reachability(Object ref) {
        if (ref instanceof Reference<?> buffer) {
            return buffer.refersTo(null) ? 2 : 1;
        }
        if (ref instanceof Arenas.Arena a) {
            return a.reachable() ? 1 : 2;
        }
        return 0;
    }

    /**
     * Takes the books now; the agent's own allocations while it does so are not in them.
     *
     * @param nmtOtherBytes NMT's malloc "Other" bytes, or -1 when NMT is off
     * @return the report, a snapshot that later allocations do not change
     */
    public static Report take(long nmtOtherBytes) {
        Hooks.beginAgentWork();
        try {
            return new Report(nmtOtherBytes);
        } finally {
            Hooks.endAgentWork();
        }
    }

    private static long rss() {
        try (FileInputStream in = new FileInputStream("/proc/self/status")) {
            String status = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : status.split("\n")) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no RSS figure
        }
        return -1;
    }

    /**
     * The report as JSON, the form {@code custody run} and {@code custody attach} read.
     *
     * @return one JSON object: the totals, and the books by source kind, owner and site
     */
    public String json() {
        Hooks.beginAgentWork();
        try {
            return buildJson();
        } finally {
            Hooks.endAgentWork();
        }
    }

    private String buildJson() {
        Rows r = Hooks.ROWS;
        Json j = new Json().begin('{');
        j.field("version", 1).field("pid", pid).field("mode", mode);
        j.field("liveBlocks", liveBlocks).field("sampleBytes", Hooks.sampleBytes());
        j.key("sources").begin('[');
        for (int row : rows) {
            j.begin('{').field("kind", Rows.KIND_NAMES[r.kind(row)]).field("owner", r.owner(row))
                    .field("site", r.site(row)).field("liveBytes", r.liveBytes(row))
                    .field("liveBlocks", r.allocations(row) - r.frees(row)).field("peakBytes", r.peakBytes(row))
                    .field("allocations", r.allocations(row)).field("frees", r.frees(row)).end('}');
        }
        j.end(']');
        j.key("arenas").begin('[');
        for (OpenGroup g : openArenas) {
            j.begin('{').field("kind", g.kind).field("site", g.site).field("liveBytes", g.liveBytes)
                    .field("closed", false).field("count", g.count).field("reachable", g.reachable).end('}');
        }
        for (Arenas.Closed c : closedArenas) {
            j.begin('{').field("kind", c.kind()).field("site", c.site()).field("liveBytes", 0)
                    .field("closed", true).field("count", c.count()).end('}');
        }
        j.end(']');
        groups(j.key("leaks"), leaks);
        groups(j.key("jdkInternal"), jdkInternal);
        j.key("misuse").begin('[');
        for (Misuses.Misuse m : misuse) {
            j.begin('{').field("kind", m.kind()).field("site", m.site()).field("address", hex(m.address()))
                    .field("allocationSite", m.allocationSite()).field("thread", m.thread()).end('}');
        }
        j.end(']').field("misuseTotal", misuseTotal);
        j.key("samples").begin('[');
        for (Samples.Sample s : samples) {
            j.begin('{').field("address", hex(s.address())).field("bytes", s.bytes())
                    .field("kind", Rows.KIND_NAMES[r.kind(s.row())]).field("site", r.site(s.row()));
            j.key("stack").begin('[');
            for (String f : s.stack()) {
                j.value(f);
            }
            j.end(']').end('}');
        }
        j.end(']').field("samplesTotal", samplesTotal);
        j.key("beforeAttach").begin('{').field("frees", Hooks.BEFORE_ATTACH_FREES.get())
                .field("bytes", Hooks.BEFORE_ATTACH_BYTES.get()).end('}');
        j.key("beforeAgent").begin('{').field("frees", Hooks.BEFORE_AGENT_FREES.get())
                .field("bytes", Hooks.BEFORE_AGENT_BYTES.get()).end('}');
        j.key("unexplained").begin('{').field("rssBytes", rssBytes).field("explainedBytes", explainedBytes)
                .field("unexplainedRssBytes", rssBytes < 0 ? -1 : Math.max(0, rssBytes - explainedBytes));
        j.key("nmtOtherBytes").value(nmtOtherBytes < 0 ? null : (Long) nmtOtherBytes);
        j.key("unexplainedNmtOtherBytes").value(nmtOtherBytes < 0 ? null : (Long) Math.max(0, nmtOtherBytes - explainedOtherBytes));
        j.end('}');
        j.field("internalErrors", Hooks.internalErrors());
        return j.end('}').toString();
    }

    private void groups(Json j, List<Group> groups) {
        Rows r = Hooks.ROWS;
        j.begin('[');
        for (Group g : groups) {
            j.begin('{').field("site", r.site(g.row)).field("kind", Rows.KIND_NAMES[r.kind(g.row)])
                    .field("owner", r.owner(g.row)).field("bytes", g.bytes).field("blocks", g.blocks)
                    .field("reachable", g.reachable).end('}');
        }
        j.end(']');
    }

    private static String hex(long address) {
        return "0x" + Long.toHexString(address);
    }

    /**
     * The report as text, for a person: the leak report printed at exit.
     *
     * @return the report's lines, each ending in a line feed
     */
    public String text() {
        Hooks.beginAgentWork();
        try {
            return buildText();
        } finally {
            Hooks.endAgentWork();
        }
    }

    private String buildText() {
        Rows r = Hooks.ROWS;
        StringBuilder b = new StringBuilder();
        long peak = 0;
        for (int row : rows) {
            peak += r.peakBytes(row);
        }
        b.append("custody-agent: native memory of pid ").append(pid).append(" (").append(mode).append(")\n");
        b.append("  live ").append(bytes(explainedBytes)).append(" in ").append(count(liveBlocks, "block"));
        if (rssBytes >= 0) {
            b.append("; RSS ").append(bytes(rssBytes)).append(", of which the books explain ")
                    .append(bytes(explainedBytes)).append(" and ").append(bytes(Math.max(0, rssBytes - explainedBytes)))
                    .append(" is the JVM itself and memory the agent does not see");
        }
        b.append('\n');
        if (nmtOtherBytes >= 0) {
            b.append("  NMT's malloc \"Other\": ").append(bytes(nmtOtherBytes)).append(", of which the books explain ")
                    .append(bytes(Math.min(nmtOtherBytes, explainedOtherBytes))).append(" and ")
                    .append(bytes(Math.max(0, nmtOtherBytes - explainedOtherBytes)))
                    .append(" is the JVM's own and native code's\n");
        }
        b.append("  by source (kind, owner, site): live, peak, allocations/frees\n");
        int shown = 0;
        for (int row : rows) {
            if (shown++ == 20) {
                b.append("    … ").append(rows.size() - 20).append(" more in the JSON report\n");
                break;
            }
            b.append(String.format(Locale.ROOT, "    %-13s %s at %s: %s live in %s, peak %s, %d/%d%n",
                    Rows.KIND_NAMES[r.kind(row)], r.owner(row), r.site(row), bytes(r.liveBytes(row)),
                    count(r.allocations(row) - r.frees(row), "block"), bytes(r.peakBytes(row)),
                    r.allocations(row), r.frees(row)));
        }
        section(b, "leaks still reachable, by site, largest first", leaks, Boolean.TRUE, null);
        section(b, "leaks whose owner is unreachable: they wait for the GC or a Cleaner", leaks, Boolean.FALSE, null);
        section(b, "live blocks of unknown reachability (Unsafe, mapped files)", leaks, null, null);
        List<OpenGroup> never = openArenas.stream().filter(g -> !"global".equals(g.kind)).toList();
        if (!never.isEmpty()) {
            b.append("  arenas never closed:\n");
            for (OpenGroup g : never) {
                b.append(String.format(Locale.ROOT, "    %s arena%s created at %s: %s live%s%n", g.kind,
                        g.count == 1 ? "" : " ×" + g.count, g.site, bytes(g.liveBytes),
                        g.reachable ? "" : " (unreachable: no one can close it now)"));
            }
        }
        section(b, "the JDK's own blocks, live until exit (not leaks)", jdkInternal, null, "any");
        if (misuse.isEmpty()) {
            b.append("  misuse: none\n");
        } else {
            b.append("  misuse: ").append(misuseTotal).append('\n');
            for (Misuses.Misuse m : misuse.subList(0, Math.min(20, misuse.size()))) {
                b.append("    ").append(m.kind()).append(" of 0x").append(Long.toHexString(m.address()))
                        .append(" at ").append(m.site());
                if (m.allocationSite() != null) {
                    b.append(" (allocated at ").append(m.allocationSite()).append(')');
                }
                b.append('\n');
            }
        }
        if (Hooks.attached() && Hooks.BEFORE_ATTACH_FREES.get() > 0) {
            b.append("  frees of blocks allocated before the attach: ").append(Hooks.BEFORE_ATTACH_FREES.get())
                    .append('\n');
        }
        return b.toString();
    }

    private void section(StringBuilder b, String title, List<Group> groups, Boolean reachable, String any) {
        Rows r = Hooks.ROWS;
        List<Group> in = groups.stream().filter(g -> any != null || java.util.Objects.equals(g.reachable, reachable))
                .toList();
        if (in.isEmpty()) {
            return;
        }
        b.append("  ").append(title).append(":\n");
        int shown = 0;
        for (Group g : in) {
            if (shown++ == 20) {
                b.append("    … ").append(in.size() - 20).append(" more in the JSON report\n");
                break;
            }
            b.append("    ").append(bytes(g.bytes)).append(" in ").append(count(g.blocks, "block")).append(" at ")
                    .append(r.site(g.row)).append(" (").append(Rows.KIND_NAMES[r.kind(g.row)]).append(", ")
                    .append(r.owner(g.row)).append(")\n");
        }
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.1f GiB", n / (1024.0 * 1024 * 1024));
    }
}
