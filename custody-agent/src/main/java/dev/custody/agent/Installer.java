package dev.custody.agent;

import dev.custody.agent.boot.Books;
import dev.custody.agent.boot.Hooks;
import dev.custody.agent.boot.Report;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.ObjectName;

/**
 * Installs the hooks once the bootstrap jar is on the bootstrap class path: grants
 * {@code java.base} the reads and exports the hooks need, registers the transformer, retransforms
 * the JDK classes already loaded (and, after a dynamic attach, the program's classes), and
 * registers the MXBean and the report at exit. Package-private: {@link Agent} is its only caller,
 * by reflection once the bootstrap jar is in place; {@link #install} stays public for that.
 */
final class Installer {
    /** The system property a resident agent sets, so that a later attach finds it. */
    public static final String RESIDENT_PROPERTY = "custody.agent";
    /** The agent's MXBean. */
    public static final String MXBEAN_NAME = "dev.custody:type=Agent";
    /** The MXBean of a source kind: this and the kind's name. */
    public static final String SOURCE_MXBEAN_PREFIX = "dev.custody:type=AgentSource,name=";

    private static final int BATCH = 256;

    private Installer() {}

    /** Installs the agent; see the class comment. */
    public static void install(Instrumentation inst, AgentOptions options, boolean dynamic) throws Exception {
        if (Hooks.class.getClassLoader() != null) {
            throw new IllegalStateException("the hook classes were not loaded from the bootstrap class path");
        }
        Module bootUnnamed = Hooks.class.getModule();
        Module javaBase = Object.class.getModule();
        inst.redefineModule(javaBase, Set.of(bootUnnamed), Map.of("jdk.internal.foreign", Set.of(bootUnnamed)),
                Map.of(), Set.of(), Map.of());
        ExitReport exit = options.json() == null ? null : ExitReport.claim(options);
        Hooks.configure(options.sampleBytes(), dynamic);
        Hooks.skipPackages(options.skip());
        Hooks.enforce(options.enforce());
        Hooks.warmUp();
        Transformer transformer = new Transformer(inst, bootUnnamed, options.skip());
        transformer.warmUp();
        inst.addTransformer(transformer, true);
        List<Class<?>> jdk = new ArrayList<>();
        List<Class<?>> program = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (JdkTransforms.TARGETS.contains(c.getName().replace('.', '/'))) {
                jdk.add(c);
            } else if (dynamic && transformer.mayRewrite(c) && inst.isModifiableClass(c)) {
                program.add(c);
            }
        }
        // Unsafe alone first, and any failure fails the install: call sites pass their site inside
        // sizes only once Unsafe is known to take it out again.
        Class<?> unsafe = Class.forName("jdk.internal.misc.Unsafe");
        jdk.remove(unsafe);
        inst.retransformClasses(unsafe);
        retransform(inst, jdk);
        if (!transformer.unsafeHooked()) {
            throw new IllegalStateException("jdk.internal.misc.Unsafe could not be instrumented: " + transformer.lastFailure());
        }
        Hooks.sitesInSizes();
        retransform(inst, program);
        Hooks.events(AgentEvents.register());
        System.setProperty(RESIDENT_PROPERTY, "resident");
        var server = ManagementFactory.getPlatformMBeanServer();
        server.registerMBean(new AgentBean(transformer), new ObjectName(MXBEAN_NAME));
        for (String kind : Books.KINDS) {
            server.registerMBean(new AgentSourceBean(kind), new ObjectName(SOURCE_MXBEAN_PREFIX + kind));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> atExit(options, exit), "custody-agent report"));
    }

    private static void retransform(Instrumentation inst, List<Class<?>> classes) {
        for (int i = 0; i < classes.size(); i += BATCH) {
            List<Class<?>> batch = classes.subList(i, Math.min(classes.size(), i + BATCH));
            try {
                inst.retransformClasses(batch.toArray(Class<?>[]::new));
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                for (Class<?> c : batch) { // one bad class must not keep the rest of its batch as they were
                    try {
                        inst.retransformClasses(c);
                    } catch (UnmodifiableClassException | RuntimeException | LinkageError ignored) {
                        // left as it was: its call sites fall back to stack walks
                    }
                }
            }
        }
    }

    private static void atExit(AgentOptions options, ExitReport exit) {
        Hooks.beginAgentWork();
        try {
            Report report = Report.take(Nmt.otherMallocBytes());
            if (exit != null) {
                exit.write(report, !options.print());
            }
            if (options.print()) {
                System.err.print(report.text());
            }
        } catch (Throwable t) {
            System.err.println("custody-agent: the report at exit failed: " + t);
        } finally {
            Hooks.endAgentWork();
        }
    }
}
