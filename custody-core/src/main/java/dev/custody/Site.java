package dev.custody;

import java.util.List;

/**
 * Where something happened to a block: the event, the thread, and the caller's stack (custody's
 * own frames removed, at most a bounded number of frames).
 *
 * @param event what happened, such as {@code "allocate"} or {@code "free"}
 * @param thread the name of the thread it happened on
 * @param frames the stack, innermost (the caller of custody) first
 */
public record Site(String event, String thread, List<StackTraceElement> frames) {
    public Site {
        frames = List.copyOf(frames);
    }

    /** The innermost caller frame, or {@code "unknown"} if the stack was empty. */
    public String caller() {
        return frames.isEmpty() ? "unknown" : frames.getFirst().toString();
    }

    /** A one-line description: event, caller frame and thread. */
    @Override
    public String toString() {
        return event + " at " + caller() + " on thread '" + thread + "'";
    }

    /** The site with its whole captured stack, one frame a line. */
    public String describe() {
        StringBuilder sb = new StringBuilder(event).append(" on thread '").append(thread).append("'");
        for (StackTraceElement f : frames) {
            sb.append("\n\tat ").append(f);
        }
        return sb.toString();
    }
}
