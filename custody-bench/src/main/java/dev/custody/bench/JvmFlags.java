package dev.custody.bench;

/**
 * The flags of the forked benchmark JVMs, as constants for {@code @Fork(jvmArgsAppend = ...)}.
 * Every fork gets {@link #NATIVE_ACCESS}; the peers get what they need to run at their best.
 */
public final class JvmFlags {
    /** FFM downcalls and {@code reinterpret} without warnings; custody's restricted methods too. */
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** Arrow's memory core and Netty reach into {@code java.nio} (buffer address, cleaner). */
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /** Netty's direct buffers without a cleaner use {@code jdk.internal.misc.Unsafe}. */
    public static final String OPEN_MISC = "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED";
    /** JMH's, Netty's and Arrow's {@code sun.misc.Unsafe} use, without the JDK 24+ warnings. */
    public static final String UNSAFE_ALLOW = "--sun-misc-unsafe-memory-access=allow";
    /** Lets Netty make its {@code DirectByteBuffer}s over memory it allocated itself. */
    public static final String NETTY_REFLECTION = "-Dio.netty.tryReflectionSetAccessible=true";
    /**
     * Netty samples 1 buffer in 128 for leak detection by default; off, as custody's tracking is off
     * in the allocate group.
     */
    public static final String NETTY_NO_LEAK_DETECTION = "-Dio.netty.leakDetection.level=disabled";

    /**
     * The custody agent at its defaults (exact books, a sampled stack per 512 KiB), from the path
     * {@code ./custody bench} runs in: the project's root, where the agent module's build leaves
     * an unversioned copy of its jar.
     */
    public static final String AGENT = "-javaagent:custody-agent/target/custody-agent.jar=print=false";
    /** The custody agent with exact books and sites only: no sampled stacks. */
    public static final String AGENT_NO_SAMPLES = "-javaagent:custody-agent/target/custody-agent.jar=print=false,sampleBytes=0";

    /** A JFR recording with the default settings, which record the agent's events. */
    public static final String JFR = "-XX:StartFlightRecording=settings=default,filename=target/agent-bench.jfr";

    private JvmFlags() {
    }
}
