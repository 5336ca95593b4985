package dev.custody;

import java.util.List;

/**
 * Where something happened to a block: the event, the thread, and the caller's stack (custody's
 * own frames removed, at most a bounded number of frames).
 *
 * <p>The stack is captured with {@link StackWalker} and kept as the walker's frames; they are
 * turned into {@link StackTraceElement}s (the costly part) only when first asked for, so a tracked
 * block that is never reported pays for the walk alone.
 */
public final class Site {
    private final String event;
    private final String thread;
    private final List<StackWalker.StackFrame> raw;
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
     * A site whose frames are rendered on first use.
     *
     * @param event what happened, such as {@code "allocate"} or {@code "free"}
     * @param thread the name of the thread it happened on
     * @param frames the walker's frames, innermost (the caller of custody) first
     * @return the site
     */
    public static Site walked(String event, String thread, List<StackWalker.StackFrame> frames) {
        return new Site(event, thread, List.copyOf(frames), null);
    }

    private Site(String event, String thread, List<StackWalker.StackFrame> raw, Void lazy) {
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
            f = raw.stream().map(StackWalker.StackFrame::toStackTraceElement).toList();
            frames = f;
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
