package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.Site;

import java.security.CodeSource;
import java.util.List;
import java.util.Objects;

/** Captures {@link Site}s with {@link StackWalker}, leaving out custody's own frames. */
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

    private Sites() {
    }

    /** The caller's site, custody-core's frames skipped. */
    public static Site capture(String event) {
        List<StackWalker.StackFrame> frames = WALKER.walk(s -> s
                .dropWhile(f -> INTERNAL.get(f.getDeclaringClass()))
                .limit(MAX_FRAMES)
                .toList());
        return Site.walked(event, Thread.currentThread().getName(), frames);
    }

    /** The class that called into custody-core, for restricted-method checks. */
    static Class<?> callerClass() {
        return WALKER.walk(s -> s.map(StackWalker.StackFrame::getDeclaringClass)
                .dropWhile(c -> INTERNAL.get(c))
                .findFirst().orElse(Heap.class));
    }
}
