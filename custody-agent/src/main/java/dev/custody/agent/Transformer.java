package dev.custody.agent;

import dev.custody.agent.boot.Hooks;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the JDK's owner points to {@link JdkTransforms} and the program's classes to
 * {@link CallSiteRewriter}. It never throws: a class it cannot instrument is left as it was and
 * counted.
 */
final class Transformer implements ClassFileTransformer {
    /** The entry points the rewrite looks for, as they appear in a class's constant pool. */
    private static final byte[][] MARKERS = {
            "java/nio/ByteBuffer".getBytes(StandardCharsets.US_ASCII),
            "java/lang/foreign/Arena".getBytes(StandardCharsets.US_ASCII),
            "java/lang/foreign/SegmentAllocator".getBytes(StandardCharsets.US_ASCII),
            "sun/misc/Unsafe".getBytes(StandardCharsets.US_ASCII)};

    private final Instrumentation inst;
    private final Module hooksModule;
    private final Set<Module> reading = ConcurrentHashMap.newKeySet();
    private final AtomicLong rewritten = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure = "none";
    private volatile boolean unsafeHooked;

    /** Internal-name prefixes of the skipped packages: their calls keep no constant site, so a walk finds the user's. */
    private final List<String> skipped;

    Transformer(Instrumentation inst, Module hooksModule, List<String> skip) {
        this.inst = inst;
        this.hooksModule = hooksModule;
        this.skipped = skip.stream().map(p -> p.replace('.', '/') + "/").toList();
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] bytes) {
        if (className == null || isAgent(className)) {
            return null; // first, before anything here loads a class: the agent's own are never touched
        }
        try {
            if (JdkTransforms.TARGETS.contains(className)) {
                if (loader != null && loader != ClassLoader.getPlatformClassLoader()) {
                    return null;
                }
                byte[] out = JdkTransforms.transform(className, bytes);
                if (className.equals(JdkTransforms.UNSAFE)) {
                    unsafeHooked = true;
                }
                return out;
            }
            if (!mayRewrite(loader, className) || !mentionsEntryPoint(bytes)) {
                return null;
            }
            // a skipped library's calls keep no constant site (a walk finds its caller), but enforce
            // mode still checks its frees
            boolean sites = !isSkipped(className);
            if (!sites && !Hooks.enforcing()) {
                return null;
            }
            byte[] out = CallSiteRewriter.rewrite(bytes, loader, module, domain, sites, Hooks.enforcing());
            if (out != null) {
                if (module.isNamed() && reading.add(module)) {
                    inst.redefineModule(module, Set.of(hooksModule), Map.of(), Map.of(), Set.of(), Map.of());
                }
                rewritten.incrementAndGet();
            }
            return out;
        } catch (Throwable t) {
            failed.incrementAndGet();
            lastFailure = className + ": " + t;
            return null;
        }
    }

    /**
     * Loads what a transformation uses, the class-file API included, before the transformer is
     * registered: a class first loaded inside {@link #transform} would come back through it.
     */
    void warmUp() throws java.io.IOException {
        try (var in = Transformer.class.getResourceAsStream("AgentOptions.class")) {
            byte[] bytes = in.readAllBytes();
            CallSiteRewriter.rewrite(bytes, Transformer.class.getClassLoader(), Transformer.class.getModule(), null, true, true);
            JdkTransforms.transform("dev/custody/agent/AgentOptions", bytes);
            mentionsEntryPoint(bytes);
        }
    }

    /** True for a loaded class whose call sites the rewrite may touch: the program's, not the JDK's or the agent's. */
    boolean mayRewrite(Class<?> c) {
        return !c.isArray() && !c.isPrimitive() && !c.isHidden()
                && mayRewrite(c.getClassLoader(), c.getName().replace('.', '/'));
    }

    private static boolean mayRewrite(ClassLoader loader, String internalName) {
        return loader != null && loader != ClassLoader.getPlatformClassLoader()
                && !isAgent(internalName);
    }

    private boolean isSkipped(String internalName) {
        for (String p : skipped) {
            if (internalName.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The agent's own classes: its package and the hooks' package, not their subpackages. */
    static boolean isAgent(String internalName) {
        int slash = internalName.lastIndexOf('/');
        String pkg = slash < 0 ? "" : internalName.substring(0, slash);
        return pkg.equals("dev/custody/agent") || pkg.equals("dev/custody/agent/boot");
    }

    private static boolean mentionsEntryPoint(byte[] bytes) {
        for (byte[] marker : MARKERS) {
            if (indexOf(bytes, marker) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        byte first = needle[0];
        int last = haystack.length - needle.length;
        outer:
        for (int i = 0; i <= last; i++) {
            if (haystack[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }


    /** True once {@code jdk.internal.misc.Unsafe} carries the hooks. */
    boolean unsafeHooked() {
        return unsafeHooked;
    }

    long rewrittenClasses() {
        return rewritten.get();
    }

    long failedClasses() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure;
    }
}
