package dev.custody;

import dev.custody.internal.Errors;

/**
 * The default tag of the current thread, set by nested scopes, as a game's memory manager pushes
 * and pops memory ids.
 *
 * <pre>{@code
 * try (var scope = Tags.push(paths)) {
 *     Block b = heap.allocate(4096);   // tagged "paths"
 * }
 * }</pre>
 *
 * <p>Scopes must close in the reverse order of their pushes, on the thread that pushed them. The
 * thread-local stack is removed when the outermost scope closes, so a pooled or virtual thread
 * keeps nothing behind.
 */
public final class Tags {
    private static final ThreadLocal<Stack> STACK = new ThreadLocal<>();

    private Tags() {
    }

    /** An open {@link #push} scope. */
    public interface Scope extends AutoCloseable {
        /**
         * The tag this scope pushed.
         *
         * @return the tag
         */
        Tag tag();

        /**
         * Pops this scope.
         *
         * @throws IllegalStateException if this scope is not the innermost open one on this
         *     thread, or it is already closed
         */
        @Override
        void close();
    }

    /**
     * Makes {@code tag} this thread's default tag until the returned scope closes.
     *
     * @param tag the new default tag
     * @return the scope, to close (innermost first) when the tag no longer applies
     * @throws NullPointerException if {@code tag} is null
     */
    public static Scope push(Tag tag) {
        java.util.Objects.requireNonNull(tag, "tag");
        Stack s = STACK.get();
        if (s == null) {
            s = new Stack();
            STACK.set(s);
        }
        return s.push(tag);
    }

    /**
     * This thread's default tag.
     *
     * @return the innermost pushed tag, or {@link Tag#UNTAGGED}
     */
    public static Tag current() {
        Stack s = STACK.get();
        return s == null ? Tag.UNTAGGED : s.top.tag;
    }

    private static final class Stack {
        Frame top;

        Scope push(Tag tag) {
            top = new Frame(this, top, tag);
            return top;
        }
    }

    private static final class Frame implements Scope {
        private final Stack stack;
        private final Frame below;
        private final Tag tag;
        private boolean closed;

        Frame(Stack stack, Frame below, Tag tag) {
            this.stack = stack;
            this.below = below;
            this.tag = tag;
        }

        @Override
        public Tag tag() {
            return tag;
        }

        @Override
        public void close() {
            if (closed) {
                throw Errors.tagScope("tag scope '" + tag + "' is already closed");
            }
            if (STACK.get() != stack || stack.top != this) {
                throw Errors.tagScope("tag scope '" + tag + "' closed out of order (innermost open scope is '"
                        + (STACK.get() == null ? "none" : STACK.get().top.tag) + "', on " + Thread.currentThread() + ")");
            }
            closed = true;
            stack.top = below;
            if (below == null) {
                STACK.remove();
            }
        }
    }
}
