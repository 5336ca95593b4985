package dev.custody.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Custody's events in a JFR recording: allocations and frees per heap and tag, the misuses custody
 * refused, and the leaks it reported, grouped by allocation site.
 */
final class JfrSummary {
    static final String ALLOCATION = "dev.custody.Allocation";
    static final String FREE = "dev.custody.Free";
    static final String MISUSE = "dev.custody.Misuse";
    static final String LEAK = "dev.custody.Leak";
    /** The agent's periodic books of one source kind (heap {@code jvm}, tag the kind). */
    static final String BOOKS = "dev.custody.Books";

    /** Counts and bytes of one heap and tag. */
    static final class Books {
        long allocations;
        long allocatedBytes;
        long frees;
        long freedBytes;
    }

    record HeapTag(String heap, String tag) {
        @Override
        public String toString() {
            return heap + "/" + tag;
        }
    }

    record Misuse(String time, String kind, String heap, String message) {
    }

    record LeakLine(String heap, String tag, long size, long address, String site, boolean freed) {
    }

    private final Map<HeapTag, Books> books = new TreeMap<>(
            Comparator.comparing(HeapTag::heap).thenComparing(HeapTag::tag));
    private final List<Misuse> misuses = new ArrayList<>();
    private final List<LeakLine> leaks = new ArrayList<>();
    /** The latest periodic books of each heap and tag, and when. */
    private final Map<HeapTag, RecordedEvent> latestBooks = new TreeMap<>(
            Comparator.comparing(HeapTag::heap).thenComparing(HeapTag::tag));
    /** Sampled allocations by site (the agent's Allocation events carry an owner): count and bytes. */
    private final Map<String, long[]> sampledBySite = new TreeMap<>();
    private long events;
    /** Every allocation (+size) and free (-size) of custody's own heaps, for the peaks of the HTML report. */
    private final List<Delta> deltas = new ArrayList<>();

    private record Delta(java.time.Instant at, HeapTag key, long bytes) {
    }

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
                if (e.hasField("owner")) { // the agent's: sampled by bytes, so not a count of all allocations
                    long[] c = sampledBySite.computeIfAbsent(String.valueOf(e.getString("site")), k -> new long[2]);
                    c[0]++;
                    c[1] += e.getLong("size");
                    return;
                }
                Books b = books(e);
                b.allocations++;
                b.allocatedBytes += e.getLong("size");
                deltas.add(new Delta(e.getStartTime(), key(e), e.getLong("size")));
            }
            case BOOKS -> {
                HeapTag key = new HeapTag(String.valueOf(e.getString("heap")), String.valueOf(e.getString("tag")));
                RecordedEvent prior = latestBooks.get(key);
                if (prior == null || !e.getStartTime().isBefore(prior.getStartTime())) {
                    latestBooks.put(key, e);
                }
            }
            case FREE -> {
                Books b = books(e);
                b.frees++;
                b.freedBytes += e.getLong("size");
                deltas.add(new Delta(e.getStartTime(), key(e), -e.getLong("size")));
            }
            case MISUSE -> misuses.add(new Misuse(e.getStartTime().toString(), e.getString("kind"),
                    e.getString("heap"), e.getString("message")));
            case LEAK -> leaks.add(new LeakLine(e.getString("heap"), e.getString("tag"), e.getLong("size"),
                    e.getLong("address"), e.getString("site"), e.getBoolean("freed")));
            default -> {
                // a custody event this summary does not break down: counted only
            }
        }
    }

    private Books books(RecordedEvent e) {
        return books.computeIfAbsent(key(e), k -> new Books());
    }

    private static HeapTag key(RecordedEvent e) {
        return new HeapTag(String.valueOf(e.getString("heap")), String.valueOf(e.getString("tag")));
    }

    /** How many custody events the recording held. */
    long events() {
        return events;
    }

    /** Allocations and frees per heap and tag, by heap then tag. */
    Map<HeapTag, Books> books() {
        return java.util.Collections.unmodifiableMap(books);
    }

    /** The peak of allocated less freed bytes per heap and tag over the recording, in event time order. */
    Map<HeapTag, Long> peaks() {
        Map<HeapTag, long[]> run = new TreeMap<>(Comparator.comparing(HeapTag::heap).thenComparing(HeapTag::tag));
        deltas.stream().sorted(Comparator.comparing(Delta::at)).forEach(d -> {
            long[] v = run.computeIfAbsent(d.key(), k -> new long[2]);
            v[0] += d.bytes();
            v[1] = Math.max(v[1], v[0]);
        });
        Map<HeapTag, Long> out = new java.util.LinkedHashMap<>();
        run.forEach((k, v) -> out.put(k, v[1]));
        return out;
    }

    /** The misuses custody refused, in the recording's order. */
    List<Misuse> misuses() {
        return List.copyOf(misuses);
    }

    /** The leaks reported. */
    List<LeakLine> leaks() {
        return List.copyOf(leaks);
    }

    /** The leaks' bytes and counts per heap, tag and allocation site: {bytes, count}, largest first. */
    Map<String, long[]> leaksBySite() {
        Map<String, long[]> bySite = new TreeMap<>();
        leaks.forEach(l -> {
            long[] c = bySite.computeIfAbsent(l.heap() + "/" + l.tag() + " @ " + l.site(), k -> new long[2]);
            c[0] += l.size();
            c[1]++;
        });
        Map<String, long[]> out = new java.util.LinkedHashMap<>();
        bySite.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(en -> out.put(en.getKey(), en.getValue()));
        return out;
    }

    /** The latest periodic books (the agent's) per heap and tag: live bytes, live blocks, allocations, frees. */
    Map<HeapTag, long[]> latestBooks() {
        Map<HeapTag, long[]> out = new java.util.LinkedHashMap<>();
        latestBooks.forEach((k, b) -> out.put(k, new long[] {b.getLong("liveBytes"), b.getLong("liveBlocks"),
                b.getLong("allocations"), b.getLong("frees")}));
        return out;
    }

    /** Prints the summary. */
    void print(Path recording, PrintStream out) {
        out.println("custody events in " + recording + ": " + events);
        if (events == 0) {
            out.println("  (none: record with tracking on, e.g. heap.setTracking(Tracking.FULL, 1),"
                    + " and the dev.custody.* events enabled)");
            return;
        }
        if (!latestBooks.isEmpty()) {
            out.println();
            out.println("Books per heap/tag, from the last periodic dev.custody.Books event (the agent's):");
            out.printf("  %-32s %14s %12s %12s %12s%n", "heap/tag", "live bytes", "live blocks", "allocations", "frees");
            latestBooks.forEach((key, b) -> out.printf("  %-32s %14d %12d %12d %12d%n", key, b.getLong("liveBytes"),
                    b.getLong("liveBlocks"), b.getLong("allocations"), b.getLong("frees")));
        }
        if (!sampledBySite.isEmpty()) {
            out.println();
            out.println("Sampled allocations by site (the agent's, one per so many bytes), largest first:");
            sampledBySite.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .limit(20).forEach(en -> out.println("  " + en.getValue()[0] + " samples, " + en.getValue()[1]
                            + " B at " + en.getKey()));
        }
        out.println();
        out.println("Allocations and frees per heap/tag:");
        out.printf("  %-32s %12s %14s %12s %14s %14s%n", "heap/tag", "allocations", "bytes", "frees", "bytes",
                "net bytes");
        books.forEach((key, b) -> out.printf("  %-32s %12d %14d %12d %14d %14d%n", key,
                b.allocations, b.allocatedBytes, b.frees, b.freedBytes, b.allocatedBytes - b.freedBytes));
        out.println();
        out.println("Misuses refused: " + misuses.size());
        misuses.forEach(m -> out.println("  " + m.time() + " " + m.kind() + " on '" + m.heap() + "': " + m.message()));
        out.println();
        out.println("Leaks reported: " + leaks.size());
        leaks.forEach(l -> out.println("  " + l.size() + " B tagged '" + l.tag() + "' on '" + l.heap() + "' at 0x"
                + Long.toHexString(l.address()) + ", allocated at " + l.site()
                + (l.freed() ? " (freed by custody)" : "")));
        if (!leaks.isEmpty()) {
            out.println("  by allocation site:");
            Map<String, long[]> bySite = new TreeMap<>();
            leaks.forEach(l -> {
                long[] c = bySite.computeIfAbsent(String.valueOf(l.site()), k -> new long[2]);
                c[0]++;
                c[1] += l.size();
            });
            bySite.forEach((site, c) -> out.println("    " + c[0] + " leaks, " + c[1] + " B at " + site));
        }
    }
}
