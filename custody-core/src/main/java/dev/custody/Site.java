package dev.custody;

import java.util.List;
import java.util.function.Supplier;

/**
 * Where something happened to a block: the event, the thread, and the caller's stack (custody's
 * own frames removed, at most a bounded number of frames).
 *
 * <p>The stack is captured as the JVM's raw backtrace (a {@code Throwable}'s, about a microsecond)
 * and turned into {@link StackTraceElement}s (the costly part) only when first asked for, so a
 * tracked block that is never reported pays for the backtrace alone.
 */
public final class Site {
    private final String event;
    private final String thread;
    /** Final, so that a site published without synchronisation still has it. */
    private final Supplier<List<StackTraceElement>> raw;
    private volatile List<StackTraceElement> frames;

    /**
     * A site with its frames already rendered.
     *
     * @param event what happened, such as {@code "allocate"} or {@code "free"}
     * @param thread the name of the thread it happened on
     * @param frames the stack, innermost (the caller of custody) first
     */
    public Site(String event, String thread, List<StackTraceElement> frames) {
        this.event = event;
        this.thread = thread;
        this.raw = null;
        this.frames = List.copyOf(frames);
    }

    /**
     * A site whose frames are resolved on first use, by {@code frames} (called at most once, by
     * whichever thread first needs them).
     *
     * @param event what happened, such as {@code "allocate"} or {@code "free"}
     * @param thread the name of the thread it happened on
     * @param frames gives the frames, innermost (the caller of custody) first
     * @return the site
     */
    public static Site lazy(String event, String thread, Supplier<List<StackTraceElement>> frames) {
        return new Site(event, thread, java.util.Objects.requireNonNull(frames, "frames"), null);
    }

    private Site(String event, String thread, Supplier<List<StackTraceElement>> raw, Void lazy) {
        this.event = event;
        this.thread = thread;
        this.raw = raw;
    }

    /**
     * What happened.
     *
     * @return the event, such as {@code "allocate"} or {@code "free"}
     */
    public String event() {
        return event;
    }

    /**
     * The thread it happened on.
     *
     * @return the thread's name
     */
    public String thread() {
        return thread;
    }

    /**
     * The stack.
     *
     * @return the frames, innermost (the caller of custody) first
     */
    public List<StackTraceElement> frames() {
        List<StackTraceElement> f = frames;
        if (f == null) {
            synchronized (this) {
                f = frames;
                if (f == null) {
                    f = List.copyOf(raw.get());
                    frames = f;
                }
            }
        }
        return f;
    }

    /**
     * The innermost caller frame as {@code Class.method(File.java:line)}, without the module and
     * class loader prefixes of {@link StackTraceElement#toString()}.
     *
     * @return the frame, such as {@code app.Game.load(Game.java:7)}, or {@code "unknown"} if the
     *     stack was empty
     */
    public String caller() {
        List<StackTraceElement> f = frames();
        return f.isEmpty() ? "unknown" : frame(f.getFirst());
    }

    /** {@code Class.method(File.java:line)}, {@code (File.java)}, {@code (Unknown Source)} or {@code (Native Method)}. */
    static String frame(StackTraceElement e) {
        String where = e.isNativeMethod() ? "Native Method"
                : e.getFileName() == null ? "Unknown Source"
                : e.getLineNumber() >= 0 ? e.getFileName() + ":" + e.getLineNumber() : e.getFileName();
        return e.getClassName() + "." + e.getMethodName() + "(" + where + ")";
    }

    /** A one-line description: event, caller frame and thread. */
    @Override
    public String toString() {
        return event + " at " + caller() + " on thread '" + thread + "'";
    }

    /**
     * The site with its whole captured stack.
     *
     * @return the event and thread, then one frame a line
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(event).append(" on thread '").append(thread).append("'");
        for (StackTraceElement f : frames()) {
            sb.append("\n\tat ").append(f);
        }
        return sb.toString();
    }
}
