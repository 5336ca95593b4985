package dev.custody.cli;

import dev.custody.Tracking;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Custody's events in a JFR recording: the books per heap and tag with their peaks, allocations
 * and frees, the misuses custody refused, and the leaks it reported, grouped by allocation site,
 * largest first. Where the recording has allocations but no tracked site, it says how to turn
 * tracking on.
 */
final class JfrSummary {
    static final String ALLOCATION = "dev.custody.Allocation";
    static final String FREE = "dev.custody.Free";
    static final String MISUSE = "dev.custody.Misuse";
    static final String LEAK = "dev.custody.Leak";
    /** The periodic books of one heap and tag: custody-core's per heap, the agent's per source kind (heap {@code jvm}). */
    static final String BOOKS = "dev.custody.Books";
    /** How a line names a leak or allocation whose site was not tracked. */
    static final String NOT_TRACKED = "(allocation site not tracked)";

    /** Counts and bytes of one heap and tag, from its Allocation and Free events. */
    static final class Flow {
        long allocations;
        long allocatedBytes;
        long frees;
        long freedBytes;
        /** (time, +bytes or -bytes), for the peak of the net bytes over the recording. */
        final List<Map.Entry<Instant, Long>> steps = new ArrayList<>();

        long peakNet() {
            steps.sort(Map.Entry.comparingByKey());
            long net = 0;
            long peak = 0;
            for (Map.Entry<Instant, Long> s : steps) {
                net += s.getValue();
                peak = Math.max(peak, net);
            }
            return peak;
        }
    }

    record HeapTag(String heap, String tag) {
        static HeapTag of(RecordedEvent e) {
            return new HeapTag(String.valueOf(e.getString("heap")), String.valueOf(e.getString("tag")));
        }

        @Override
        public String toString() {
            return heap + "/" + tag;
        }
    }

    /** The latest periodic books of a heap and tag, and the highest peak any of its events gave. */
    private static final class LatestBooks {
        RecordedEvent latest;
        long peak = -1;
    }

    record Misuse(Instant time, String kind, String heap, String site, String message) {
    }

    /** The leaks of one site: bytes, blocks, and the heaps and tags they were in. */
    static final class SiteLeaks {
        long bytes;
        long blocks;
        long freedByCustody;
        final Set<String> heapTags = new LinkedHashSet<>();
    }

    private static final Comparator<HeapTag> ORDER = Comparator.comparing(HeapTag::heap).thenComparing(HeapTag::tag);

    private final Map<HeapTag, Flow> flows = new TreeMap<>(ORDER);
    private final Map<HeapTag, LatestBooks> books = new TreeMap<>(ORDER);
    private final List<Misuse> misuses = new ArrayList<>();
    private final Map<String, SiteLeaks> leaks = new TreeMap<>();
    /** Sampled allocations by site (the agent's Allocation events carry an owner): count and bytes. */
    private final Map<String, long[]> sampledBySite = new TreeMap<>();
    private long leakCount;
    private long events;
    /** Allocation and Leak events that named a site, and those that could not. */
    private long tracked;
    private long untracked;

    /**
     * Reads every custody event of a recording.
     *
     * @throws IOException if the file cannot be read or is not a JFR recording
     */
    static JfrSummary read(Path recording) throws IOException {
        JfrSummary s = new JfrSummary();
        try (RecordingFile f = new RecordingFile(recording)) {
            while (f.hasMoreEvents()) {
                s.add(f.readEvent());
            }
        }
        return s;
    }

    private void add(RecordedEvent e) {
        String type = e.getEventType().getName();
        if (!type.startsWith("dev.custody.")) {
            return;
        }
        events++;
        switch (type) {
            case ALLOCATION -> {
                site(e);
                if (e.hasField("owner")) { // the agent's: sampled by bytes, so not a count of all allocations
                    long[] c = sampledBySite.computeIfAbsent(String.valueOf(e.getString("site")), k -> new long[2]);
                    c[0]++;
                    c[1] += e.getLong("size");
                    return;
                }
                Flow f = flows.computeIfAbsent(HeapTag.of(e), k -> new Flow());
                f.allocations++;
                f.allocatedBytes += e.getLong("size");
                f.steps.add(Map.entry(e.getStartTime(), e.getLong("size")));
            }
            case FREE -> {
                Flow f = flows.computeIfAbsent(HeapTag.of(e), k -> new Flow());
                f.frees++;
                f.freedBytes += e.getLong("size");
                f.steps.add(Map.entry(e.getStartTime(), -e.getLong("size")));
            }
            case BOOKS -> {
                LatestBooks b = books.computeIfAbsent(HeapTag.of(e), k -> new LatestBooks());
                if (b.latest == null || !e.getStartTime().isBefore(b.latest.getStartTime())) {
                    b.latest = e;
                }
                if (e.hasField("peakBytes")) { // custody-core's; the agent's books carry no peak
                    b.peak = Math.max(b.peak, e.getLong("peakBytes"));
                }
            }
            case MISUSE -> misuses.add(new Misuse(e.getStartTime(), e.getString("kind"), e.getString("heap"),
                    e.hasField("site") ? e.getString("site") : null, e.getString("message")));
            case LEAK -> {
                String site = site(e);
                SiteLeaks l = leaks.computeIfAbsent(site == null ? NOT_TRACKED : site, k -> new SiteLeaks());
                l.bytes += e.getLong("size");
                l.blocks++;
                l.freedByCustody += e.getBoolean("freed") ? 1 : 0;
                l.heapTags.add(HeapTag.of(e).toString());
                leakCount++;
            }
            default -> {
                // a custody event this summary does not break down: counted only
            }
        }
    }

    /** The event's site, or null; counts the tracked and untracked ones. */
    private String site(RecordedEvent e) {
        String site = e.getString("site");
        if (site == null || site.isEmpty()) {
            untracked++;
            return null;
        }
        tracked++;
        return site;
    }

    /** How many custody events the recording held. */
    long events() {
        return events;
    }

    /** True when the recording shows allocations (books or events) but no allocation site. */
    boolean allocationsWithoutSites() {
        boolean allocated = !flows.isEmpty() || untracked > 0
                || books.values().stream().anyMatch(b -> b.latest.getLong("allocations") > 0);
        return allocated && tracked == 0;
    }

    /** A message's first line: the rest (the sites' stacks) is in the event, for {@code jfr print}. */
    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl) + " [more in the event]";
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** Allocations and frees per heap and tag (from the Allocation and Free events), by heap then tag. */
    Map<HeapTag, Flow> flows() {
        return Collections.unmodifiableMap(flows);
    }

    /** The latest periodic books per heap and tag: live bytes, live blocks, allocations, frees. */
    Map<HeapTag, long[]> latestBooks() {
        Map<HeapTag, long[]> out = new LinkedHashMap<>();
        books.forEach((k, b) -> out.put(k, new long[] {b.latest.getLong("liveBytes"), b.latest.getLong("liveBlocks"),
                b.latest.getLong("allocations"), b.latest.getLong("frees")}));
        return out;
    }

    /** The misuses custody refused, in time order. */
    List<Misuse> misuses() {
        return misuses.stream().sorted(Comparator.comparing(Misuse::time)).toList();
    }

    /** How many leaks were reported. */
    long leakCount() {
        return leakCount;
    }

    /** The leaks per allocation site ({@link #NOT_TRACKED} for those without one), largest first. */
    Map<String, SiteLeaks> leaksBySite() {
        Map<String, SiteLeaks> out = new LinkedHashMap<>();
        leaks.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().bytes, a.getValue().bytes))
                .forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }

    /** Prints the summary. */
    void print(Path recording, PrintStream out) {
        out.println("custody events in " + recording + ": " + events);
        if (events == 0) {
            out.println("  (none: enable the dev.custody.* events in the recording; for allocations, frees and leak"
                    + " sites, " + Tracking.HOW_TO_TRACK + ")");
            return;
        }
        if (allocationsWithoutSites()) {
            out.println("  The recording has allocations but no tracked site (" + Tracking.UNTRACKED_HINT + ").");
        }
        if (!books.isEmpty()) {
            out.println();
            out.println("Books per heap/tag, from the last periodic dev.custody.Books event; peak B is the highest"
                    + " any event gave (- for the agent's, which keep none):");
            out.printf("  %-40s %14s %12s %14s %12s %12s%n", "heap/tag", "live B", "live blocks", "peak B",
                    "allocations", "frees");
            books.forEach((key, b) -> out.printf("  %-40s %14d %12d %14s %12d %12d%n", key,
                    b.latest.getLong("liveBytes"), b.latest.getLong("liveBlocks"),
                    b.peak < 0 ? "-" : Long.toString(b.peak), b.latest.getLong("allocations"),
                    b.latest.getLong("frees")));
        }
        if (!sampledBySite.isEmpty()) {
            out.println();
            out.println("Sampled allocations by site (the agent's, one per so many bytes), largest first:");
            sampledBySite.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .limit(20).forEach(en -> out.println("  " + en.getValue()[1] + " B in "
                            + count(en.getValue()[0], "sample") + " at " + en.getKey()));
        }
        if (!flows.isEmpty()) {
            out.println();
            out.println("Tracked allocations and frees per heap/tag (dev.custody.Allocation and Free); peak net B is"
                    + " the most that was live at once in the recording:");
            out.printf("  %-40s %12s %14s %12s %14s %14s %14s%n", "heap/tag", "allocations", "allocated B", "frees",
                    "freed B", "net B", "peak net B");
            flows.forEach((key, f) -> out.printf("  %-40s %12d %14d %12d %14d %14d %14d%n", key, f.allocations,
                    f.allocatedBytes, f.frees, f.freedBytes, f.allocatedBytes - f.freedBytes, f.peakNet()));
        }
        out.println();
        out.println("Misuses refused: " + misuses.size());
        misuses().forEach(m -> out.println("  " + m.time() + " "
                + m.kind() + " on '" + m.heap() + "'" + (m.site() == null ? "" : " at " + m.site()) + ": "
                + firstLine(m.message())));
        out.println();
        long leakedBytes = leaks.values().stream().mapToLong(l -> l.bytes).sum();
        out.println("Leaks reported: " + count(leakCount, "block") + (leakCount == 0 ? "" : ", " + leakedBytes + " B")
                + (leakCount == 0 ? "" : "; by allocation site, largest first:"));
        leaksBySite().entrySet().forEach(en -> {
                    SiteLeaks l = en.getValue();
                    out.println("  " + l.bytes + " B in " + count(l.blocks, "block") + " at " + en.getKey() + " ("
                            + String.join(", ", l.heapTags) + ")"
                            + (l.freedByCustody == 0 ? "" : "; " + l.freedByCustody + " freed by custody"));
                });
        if (leaks.containsKey(NOT_TRACKED)) {
            out.println("  (" + Tracking.UNTRACKED_HINT + ")");
        }
    }
}
