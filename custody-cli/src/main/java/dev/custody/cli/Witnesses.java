package dev.custody.cli;

import dev.custody.observe.ProcessMemory;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * The process witnesses of the scenarios, independent of custody's books: glibc's {@code mallinfo2}
 * in-use bytes, mimalloc's committed bytes ({@code mi_process_info}) where libmimalloc loads, and
 * the native part of the resident set.
 *
 * <p><b>mallinfo2</b> counts every malloc of the process, the JVM's own among them: its JIT
 * compiler arenas alone move it by MBs within seconds while methods compile, and more so on a loaded
 * machine, where compilation spreads into the measured cycles. When Native Memory Tracking is on
 * (the launcher turns it on for {@code stress}), the witness is mallinfo2 less what NMT books as
 * the JVM's own mallocs ({@link #jvmOwnMalloc()}), named {@value #MALLINFO_LESS_JVM}; else it is raw
 * mallinfo2, {@value #MALLINFO}.
 *
 * <p><b>Native RSS</b> is the resident set minus what the JVM reports of its own committed memory:
 * the Java heap and every non-heap pool (metaspace, compressed class space, code cache). The
 * subtraction is honest only for memory that is resident whenever it is committed. That holds for
 * the non-heap pools (the JVM writes what it commits there), but not for a G1 heap: G1 commits
 * regions and touches their pages as the young generation moves over them, so the resident set
 * climbs by up to the young generation's size with nothing committed, and a subtraction cannot see
 * it. Only a heap that is fixed ({@code -Xms} = {@code -Xmx}) and pre-touched ({@code
 * -XX:+AlwaysPreTouch}) is resident once and for all; the launcher runs {@code stress} so. In any
 * other JVM (a test's, a user's own {@code java} command) the native RSS is shown, not judged,
 * and a note says why.
 */
final class Witnesses {
    /** mallinfo2 counts the whole JVM's malloc, the JIT's arenas included. */
    static final long MALLINFO_TOLERANCE = 4L << 20;
    /** mimalloc in this process holds only what the scenarios and libraries allocate through it. */
    static final long MIMALLOC_TOLERANCE = 4L << 20;
    static final String MALLINFO = "mallinfo2 B";
    /** mallinfo2 less the JVM's own mallocs, as NMT books them: the name when NMT is on. */
    static final String MALLINFO_LESS_JVM = "mallinfo2-JVM B";
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=\\d+KB\\s*malloc: (\\d+)KB");
    private static final Pattern NMT_OTHER = Pattern.compile("Other \\(reserved=\\d+KB, committed=\\d+KB\\)\\s*\\(malloc=(\\d+)KB");
    static final String MIMALLOC = "mimalloc committed B";
    static final String NATIVE_RSS = "native RSS B";

    private Witnesses() {
    }

    /** Whether this JVM's Java heap is fixed and pre-touched, so that its native RSS can be judged. */
    static boolean heapPinned() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        boolean fixed = heap.getMax() > 0 && heap.getInit() == heap.getMax() && heap.getCommitted() == heap.getMax();
        boolean preTouched = false; // the last of the JVM's own options wins, as in HotSpot
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.equals("-XX:+AlwaysPreTouch") || arg.equals("-XX:-AlwaysPreTouch")) {
                preTouched = arg.charAt(4) == '+';
            }
        }
        return fixed && preTouched;
    }

    /** The note a scenario makes once when the native RSS is shown and not judged, or null when it is judged. */
    static String rssNote() {
        return heapPinned() ? null : "native RSS is shown, not judged: this JVM's Java heap is not fixed and pre-touched"
                + " (run through ./custody, or give java -Xms = -Xmx and -XX:+AlwaysPreTouch)";
    }

    /** Records this process's witnesses; {@code rssTolerance} applies to the native RSS when it is judged. */
    static void record(CycleLog log, long rssTolerance) {
        long jvm = jvmOwnMalloc();
        if (jvm >= 0) {
            log.witness(MALLINFO_LESS_JVM, ProcessMemory.mallinfoInUse() - jvm, MALLINFO_TOLERANCE);
        } else {
            log.witness(MALLINFO, ProcessMemory.mallinfoInUse(), MALLINFO_TOLERANCE);
        }
        Optional<Long> mi = ProcessMemory.mimallocCommitted();
        mi.ifPresent(v -> log.witness(MIMALLOC, v, MIMALLOC_TOLERANCE));
        rss(log, NATIVE_RSS, nativeRss(), rssTolerance, heapPinned());
    }

    /** A resident-set witness, judged with {@code tolerance} when {@code judged}, else only shown. */
    static void rss(CycleLog log, String name, long bytes, long tolerance, boolean judged) {
        if (judged) {
            log.witness(name, bytes, tolerance);
        } else {
            log.shown(name, bytes);
        }
    }

    /**
     * The bytes the JVM malloc'd for itself, as Native Memory Tracking books them: NMT's malloc total
     * less its "Other", which is where the program's own {@code Unsafe.allocateMemory}, direct buffers
     * and FFM arenas go (memory a witness must see). What is left is the JIT's arenas, the GC's,
     * classes, symbols, threads: the JVM's own drift, which moves mallinfo2 by MBs while the JIT
     * compiles. -1 when NMT is off ({@code -XX:NativeMemoryTracking=summary} turns it on) or unreadable.
     */
    static long jvmOwnMalloc() {
        try {
            String summary = String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary", "scale=KB"}}, new String[] {String[].class.getName()}));
            Matcher total = NMT_TOTAL.matcher(summary);
            Matcher other = NMT_OTHER.matcher(summary);
            if (!total.find()) {
                return -1;
            }
            return (Long.parseLong(total.group(1)) - (other.find() ? Long.parseLong(other.group(1)) : 0)) * 1024;
        } catch (Exception | LinkageError e) {
            return -1;
        }
    }

    /** The resident set minus the JVM's committed heap and non-heap pools. */
    static long nativeRss() {
        long rss = ProcessMemory.rss();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long committed = memory.getHeapMemoryUsage().getCommitted();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.NON_HEAP && pool.isValid()) {
                committed += pool.getUsage().getCommitted();
            }
        }
        return rss - committed;
    }

    /**
     * Another process's resident set in bytes, from {@code /proc/PID/statm}.
     *
     * @throws IOException if the process is gone or its statm unreadable
     */
    static long rssOf(long pid) throws IOException {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/statm")).trim().split("\\s+");
        return Long.parseLong(f[1]) * 4096L;
    }

    /** The notes a scenario makes once, before its cycles, about what its witnesses can see here. */
    static void notes(CycleLog log) {
        if (!ProcessMemory.singleArena()) {
            log.note("MALLOC_ARENA_MAX is not 1: mallinfo2 sees only glibc's main arena, so it witnesses little");
        }
        String rss = rssNote();
        if (rss != null) {
            log.note(rss);
        }
    }

    /** Frees the blocks an injected leak kept, at the scenario's end, and says so. */
    static void freeInjected(java.util.List<dev.custody.Block> leaked, CycleLog log) {
        if (leaked.isEmpty()) {
            return;
        }
        long bytes = 0;
        for (dev.custody.Block b : leaked) {
            bytes += b.byteSize();
            b.free();
        }
        log.note("--inject-leak: the " + leaked.size() + " block(s) leaked on purpose (" + bytes
                + " B) were freed after the last cycle");
        leaked.clear();
    }
}
