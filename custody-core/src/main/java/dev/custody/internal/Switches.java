package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.Leak;
import dev.custody.Tracking;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Custody's switches from outside the code, read once, when the first heap is published:
 * {@value #TRACKING} (or the environment variable {@value #TRACKING_ENV}), {@value #JMX} and
 * {@value #LEAK_REPORT_AT_EXIT}. The tracking default applies to every root heap as it is
 * published; child and debug heaps inherit their parent's setting, as they always did, and so,
 * since issue 13, do regions and slabs (a flat region, which has no parent, takes the default); a
 * {@link Heap#setTracking} call beats the default.
 */
public final class Switches {
    /** The system property of the default tracking: {@code off}, {@code sampled}, {@code sampled:N}, {@code full}. */
    public static final String TRACKING = "custody.tracking";
    /** The environment variable of the default tracking, beaten by {@value #TRACKING}. */
    public static final String TRACKING_ENV = "CUSTODY_TRACKING";
    /** {@code true}: every heap's MXBean is registered as it is published. */
    public static final String JMX = "custody.jmx";
    /** {@code true}: the live blocks of every heap are printed to standard error at JVM exit. */
    public static final String LEAK_REPORT_AT_EXIT = "custody.leakReportAtExit";
    /** The mean bytes between samples of a plain {@code sampled}, as the agent's default. */
    public static final int DEFAULT_SAMPLE_BYTES = Tracking.DEFAULT_SAMPLE_BYTES;

    /** The default of every root heap, or null for off (nothing to apply). */
    private static final Spec DEFAULT;

    static {
        Spec d = null;
        String property = System.getProperty(TRACKING);
        String env = System.getenv(TRACKING_ENV);
        String source = property != null ? "-D" + TRACKING : TRACKING_ENV;
        String value = property != null ? property : env;
        if (value != null) {
            try {
                d = Spec.parse(value);
            } catch (IllegalArgumentException e) {
                System.err.println("custody: " + source + "=" + value + " ignored, tracking stays off: "
                        + e.getMessage());
            }
        }
        DEFAULT = d == null || d.level() == Tracking.OFF ? null : d;
        if (Boolean.getBoolean(JMX)) {
            HeapMXBeans.enable();
        }
        if (Boolean.getBoolean(LEAK_REPORT_AT_EXIT)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> printLiveBlocks(System.err),
                    "custody-leak-report"));
        }
    }

    private Switches() {
    }

    /**
     * A tracking setting as the switches and the MXBean's operation write it.
     *
     * @param level the level
     * @param sampleBytes for {@link Tracking#SAMPLED}, the mean bytes between samples; 1 otherwise
     */
    public record Spec(Tracking level, int sampleBytes) {
        /**
         * Reads {@code off}, {@code sampled}, {@code sampled:N} or {@code full}, in any case; N is
         * in bytes and may end in {@code k} or {@code m} (KiB, MiB).
         *
         * @throws IllegalArgumentException for anything else, or an N below 1 or above 2³¹ - 1
         */
        public static Spec parse(String text) {
            String s = Objects.requireNonNull(text, "text").strip().toLowerCase(Locale.ROOT);
            return switch (s) {
                case "off" -> new Spec(Tracking.OFF, 1);
                case "full" -> new Spec(Tracking.FULL, 1);
                case "sampled" -> new Spec(Tracking.SAMPLED, DEFAULT_SAMPLE_BYTES);
                default -> {
                    if (!s.startsWith("sampled:")) {
                        throw new IllegalArgumentException("expected off, sampled, sampled:N (bytes, k or m"
                                + " allowed) or full, not '" + text + "'");
                    }
                    yield new Spec(Tracking.SAMPLED, bytes(s.substring("sampled:".length()), text));
                }
            };
        }

        private static int bytes(String n, String text) {
            long unit = n.endsWith("k") ? 1024 : n.endsWith("m") ? 1024 * 1024 : 1;
            String digits = unit == 1 ? n : n.substring(0, n.length() - 1);
            long v;
            try {
                v = Math.multiplyExact(Long.parseLong(digits), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + text + "': N must be a number of bytes, such as 65536,"
                        + " 64k or 1m");
            }
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + text + "': N must be between 1 and " + Integer.MAX_VALUE
                        + " bytes");
            }
            return (int) v;
        }

        /** Sets this on {@code heap}. */
        public void applyTo(Heap heap) {
            heap.setTracking(level, sampleBytes);
        }

        /** As the switch is written: {@code off}, {@code sampled:N} or {@code full}. */
        @Override
        public String toString() {
            return level == Tracking.SAMPLED ? "sampled:" + sampleBytes : level.name().toLowerCase(Locale.ROOT);
        }
    }

    /** The default tracking the switches set, or null when they set none (off). */
    public static Spec defaultTracking() {
        return DEFAULT;
    }

    /** A heap was published: a root gets the default tracking. Loading this class reads the switches. */
    static void published(AbstractHeap h) {
        if (DEFAULT != null && h.parent == null) {
            DEFAULT.applyTo(h);
        }
    }

    /**
     * Prints the live blocks of every heap, grouped by heap and allocation site, largest first, as
     * LWJGL's debug allocator does at exit. Frees nothing. Blocks marked not a leak and pools' chunks
     * are left out.
     */
    static void printLiveBlocks(PrintStream out) {
        Map<String, List<Leak>> byHeap = new LinkedHashMap<>();
        HeapDirectory.forEachLive(b -> {
            if (!b.notALeak()) {
                byHeap.computeIfAbsent(b.heap.name, k -> new ArrayList<>()).add(b.leak());
            }
        });
        StringBuilder sb = new StringBuilder();
        if (byHeap.isEmpty()) {
            sb.append("custody: at exit, no live blocks in any heap (").append(LEAK_REPORT_AT_EXIT).append(')');
        } else {
            long blocks = byHeap.values().stream().mapToLong(List::size).sum();
            long bytes = byHeap.values().stream().flatMap(List::stream).mapToLong(Leak::size).sum();
            sb.append("custody: at exit, ").append(Words.count(blocks, "live block")).append(", ").append(bytes)
                    .append(" B, in ").append(Words.count(byHeap.size(), "heap")).append("; nothing was freed (")
                    .append(LEAK_REPORT_AT_EXIT).append(')');
            byHeap.forEach((heap, leaks) -> {
                sb.append("\n  heap '").append(heap).append("': ").append(Words.count(leaks.size(), "block")).append(", ")
                        .append(leaks.stream().mapToLong(Leak::size).sum()).append(" B, by site:");
                dev.custody.LeakException.bySite(leaks).forEach((site, v) -> sb.append("\n    ").append(v[0])
                        .append(" B in ").append(Words.count(v[1], "block")).append(": ").append(site));
            });
            if (byHeap.values().stream().flatMap(List::stream).anyMatch(l -> l.site() == null)) {
                sb.append("\n  (").append(Tracking.UNTRACKED_HINT).append(")");
            }
        }
        out.println(sb);
        out.flush();
    }
}
