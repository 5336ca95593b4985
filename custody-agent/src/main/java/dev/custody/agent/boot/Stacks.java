package dev.custody.agent.boot;

import java.lang.StackWalker.StackFrame;
import java.security.CodeSource;
import java.util.EnumSet;

/** Stack walks, for the paths the call-site rewrite does not reach and for sampled allocations. */
final class Stacks {
    private static final StackWalker WALKER = StackWalker.getInstance(
            EnumSet.of(StackWalker.Option.RETAIN_CLASS_REFERENCE, StackWalker.Option.SHOW_REFLECT_FRAMES));
    private static final int SAMPLE_DEPTH = 64;
    private static final Class<?> UNSAFE = unsafe();

    private static Class<?> unsafe() {
        try {
            return Class.forName("jdk.internal.misc.Unsafe");
        } catch (ClassNotFoundException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * What a walk found. {@code site} is the first frame outside the JDK and the agent, or the
     * first JDK frame when there is none; {@code caller} is the class that called Unsafe;
     * {@code viaSunMiscUnsafe} tells whether that call went through {@code sun.misc.Unsafe}, and
     * then {@code userOwner} labels the class that called it; {@code callerInJdk} tells whether
     * the code that called Unsafe is the JDK's own.
     */
    record Walk(String site, String caller, boolean viaSunMiscUnsafe, String userOwner, boolean callerInJdk) {}

    /** Package prefixes (with a trailing dot) whose frames are not a site; written once, before the hooks. */
    private static volatile String[] skipped = new String[0];

    private Stacks() {}

    static void skip(java.util.List<String> prefixes) {
        skipped = prefixes.stream().map(p -> p + ".").toArray(String[]::new);
    }

    private static boolean isSkipped(String className) {
        for (String p : skipped) {
            if (className.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    static Walk walk() {
        return WALKER.walk(frames -> {
            String caller = null;
            boolean callerInJdk = true;
            String firstJdk = null;
            String owner = null;
            boolean sunMisc = false;
            boolean pastUnsafe = false;
            for (StackFrame f : (Iterable<StackFrame>) frames::iterator) {
                Class<?> c = f.getDeclaringClass();
                if (isAgent(c)) {
                    continue;
                }
                String name = c.getName();
                if (name.equals("jdk.internal.misc.Unsafe")) {
                    pastUnsafe = true;
                    continue;
                }
                if (name.equals("sun.misc.Unsafe")) {
                    sunMisc = true;
                    continue;
                }
                boolean jdk = isJdk(c);
                if (caller == null && (pastUnsafe || !jdk)) {
                    caller = name;
                    callerInJdk = jdk && !sunMisc;
                }
                if (jdk) {
                    if (firstJdk == null) {
                        firstJdk = format(f);
                    }
                    continue;
                }
                if (owner == null) {
                    owner = ownerLabel(c); // the library that called, even when its frames are skipped
                }
                if (isSkipped(name)) {
                    continue;
                }
                return new Walk(format(f), caller, sunMisc, owner, callerInJdk);
            }
            return new Walk(firstJdk == null ? "(unknown)" : firstJdk, caller == null ? "(unknown)" : caller,
                    sunMisc, owner, callerInJdk);
        });
    }

    /**
     * The stack below the agent's frames, at most {@value #SAMPLE_DEPTH} frames, as the walker's
     * frames: they are formatted only when a report needs them.
     */
    static StackFrame[] capture() {
        return WALKER.walk(s -> s.dropWhile(f -> isAgent(f.getDeclaringClass())
                        || f.getDeclaringClass() == UNSAFE).limit(SAMPLE_DEPTH).toArray(StackFrame[]::new));
    }

    /** Frames from {@link #capture}, each formatted as a site. */
    static String[] format(StackFrame[] frames) {
        String[] out = new String[frames.length];
        for (int i = 0; i < frames.length; i++) {
            out[i] = format(frames[i]);
        }
        return out;
    }

    /** The agent's own classes: its package and this one, not their subpackages. */
    static boolean isAgent(Class<?> c) {
        String p = c.getPackageName();
        return p.equals("dev.custody.agent") || p.equals("dev.custody.agent.boot");
    }

    static boolean isJdk(Class<?> c) {
        Module m = c.getModule();
        if (!m.isNamed()) {
            return c.getClassLoader() == null && !isAgent(c);
        }
        String n = m.getName();
        return n.startsWith("java.") || n.startsWith("jdk.");
    }

    static String format(StackFrame f) {
        return SiteLabels.site(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber());
    }


    /** The owner label of a class: its name with its module or jar. */
    static String ownerLabel(Class<?> c) {
        CodeSource cs = null;
        try {
            cs = c.getProtectionDomain().getCodeSource();
        } catch (SecurityException e) {
            // no code source then
        }
        return SiteLabels.owner(c.getName(), c.getModule().isNamed() ? c.getModule().getName() : null,
                cs == null ? null : cs.getLocation());
    }

}
