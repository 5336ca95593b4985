package dev.custody.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The agent's entry points: {@code -javaagent:custody-agent.jar=OPTIONS} ({@link #premain}) and a
 * dynamic attach ({@link #agentmain}). See {@link AgentOptions} for the options.
 *
 * <p>This class touches none of the hook classes: they must be loaded from the bootstrap class
 * path, which it extends first, and a reference here could load a second copy through the
 * application class loader before that.
 */
public final class Agent {
    private static final String BOOT_JAR = "META-INF/custody/boot.jar";
    private static volatile boolean installed;

    private Agent() {}

    /**
     * Loads the agent at JVM start. A bad option string, or a failure to install, prints one line
     * on standard error and installs nothing; the program then runs without the agent.
     *
     * @param options the option string after {@code =} in {@code -javaagent:JAR=OPTIONS}, or null
     *     for none; see {@link AgentOptions}
     * @param inst the JVM's instrumentation, which must allow retransformation and module
     *     redefinition (the agent jar's manifest asks for both)
     */
    public static void premain(String options, Instrumentation inst) {
        start(options, inst, false);
    }

    /**
     * Loads the agent into a running JVM. A later attach finds the agent resident and does nothing:
     * the books are read through its MXBean.
     *
     * @param options the option string the attaching tool passed, or null for none; see {@link
     *     AgentOptions}
     * @param inst the JVM's instrumentation
     * @throws IllegalArgumentException for a bad option string, or a failure to install, with
     *     nothing installed (the reason is on the target's standard error)
     */
    public static void agentmain(String options, Instrumentation inst) {
        if (!start(options, inst, true)) {
            throw new IllegalArgumentException("custody-agent: not installed (see the target's standard error)");
        }
    }

    private static synchronized boolean start(String optionString, Instrumentation inst, boolean dynamic) {
        if (installed) {
            return true;
        }
        AgentOptions options;
        try {
            options = AgentOptions.parse(optionString);
        } catch (IllegalArgumentException e) {
            System.err.println("custody-agent: " + e.getMessage() + "; the agent is not installed");
            return false;
        }
        try {
            appendBootJar(inst);
            Class.forName("dev.custody.agent.Installer").getMethod("install", Instrumentation.class,
                    AgentOptions.class, boolean.class).invoke(null, inst, options, dynamic);
            installed = true;
            return true;
        } catch (ReflectiveOperationException | IOException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            System.err.println("custody-agent: could not install: " + cause);
            return false;
        }
    }

    private static void appendBootJar(Instrumentation inst) throws IOException {
        Path jar = Files.createTempFile("custody-agent-boot", ".jar");
        jar.toFile().deleteOnExit();
        try (InputStream in = Agent.class.getClassLoader().getResourceAsStream(BOOT_JAR)) {
            if (in == null) {
                throw new IOException("the agent jar has no " + BOOT_JAR);
            }
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        }
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }
}
