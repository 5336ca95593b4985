package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.Site;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Captures {@link Site}s as raw backtraces and resolves them, custody's own frames left out, only
 * when a report, an exception or an event reads them.
 *
 * <p>Measured on this project's 2-core machine with Temurin 25: a {@code new Throwable()} costs
 * 0.7-1.1 µs at a benchmark's depth, a {@link StackWalker} walk of 16 frames 2.6-3.0 µs; the
 * backtrace's {@link StackTraceElement}s, which cost more than either, are made only for a site
 * that is read.
 */
public final class Sites {
    static final int MAX_FRAMES = 16;
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final CodeSource OWN = Heap.class.getProtectionDomain().getCodeSource();

    /** True for classes of custody-core itself (not its tests, not the modules built on it). */
    private static final ClassValue<Boolean> INTERNAL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            return cs != null && OWN != null && Objects.equals(cs.getLocation(), OWN.getLocation());
        }
    };

    /** The same, by a frame's class name, for resolved backtraces; only names met in reports. */
    private static final ConcurrentHashMap<String, Boolean> INTERNAL_NAMES = new ConcurrentHashMap<>();

    private Sites() {
    }

    /** The caller's site, as a raw backtrace; custody-core's frames are skipped when it is resolved. */
    public static Site capture(String event) {
        return Site.lazy(event, Thread.currentThread().getName(), new Backtrace());
    }

    /**
     * The JVM's backtrace of the thread, taken by {@link Throwable}'s constructor and resolved into
     * frames only by {@link #get()}. Never thrown.
     */
    private static final class Backtrace extends Throwable implements Supplier<List<StackTraceElement>> {
        Backtrace() {
            super(null, null, false, true);
        }

        @Override
        public List<StackTraceElement> get() {
            StackTraceElement[] all = getStackTrace();
            int i = 0;
            while (i < all.length && internal(all[i].getClassName())) {
                i++;
            }
            List<StackTraceElement> out = new ArrayList<>(Math.min(MAX_FRAMES, all.length - i));
            for (; i < all.length && out.size() < MAX_FRAMES; i++) {
                out.add(all[i]);
            }
            return out;
        }
    }

    private static boolean internal(String className) {
        return INTERNAL_NAMES.computeIfAbsent(className, n -> {
            try {
                return INTERNAL.get(Class.forName(n, false, Sites.class.getClassLoader()));
            } catch (ClassNotFoundException | LinkageError e) {
                return false; // not custody's: its loader does not see the class
            }
        });
    }

    /** The class that called into custody-core, for restricted-method checks. */
    static Class<?> callerClass() {
        return WALKER.walk(s -> s.map(StackWalker.StackFrame::getDeclaringClass)
                .dropWhile(c -> INTERNAL.get(c))
                .findFirst().orElse(Heap.class));
    }
}
