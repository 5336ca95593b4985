package dev.custody.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a main class of this module with the current JVM's java and class path (and
 * module path, when there is one). Its standard output is read line by line; standard error is
 * inherited. {@link #close()} kills it. Public for the other modules' scenarios and tests that run
 * a child JVM of their own.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-" + process.pid() + "-stdout").start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
    }

    /**
     * Starts {@code main} with {@code args}.
     *
     * @param main the fully qualified name of the main class, on this JVM's class or module path
     * @param jvmArgs options for the child's JVM, placed before the class path, such as {@code
     *     -Xmx64m}; may be empty
     * @param args the arguments of {@code main}; may be empty
     * @return the running child, whose standard output is being read
     * @throws IllegalStateException if the current JVM cannot tell which {@code java} runs it
     * @throws UncheckedIOException if the process cannot be started
     */
    public static ChildJvm start(String main, List<String> jvmArgs, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("cannot tell which java runs this JVM")));
        // netty (inside grpc-netty-shaded) uses sun.misc.Unsafe and loads its native transport from
        // the class path; allow both quietly.
        cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmArgs);
        String modulePath = System.getProperty("jdk.module.path", "");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        if (!modulePath.isEmpty()) {
            cmd.add("-p");
            cmd.add(modulePath);
            cmd.add("--add-modules");
            cmd.add("ALL-MODULE-PATH");
        }
        cmd.add(main);
        cmd.addAll(args);
        try {
            return new ChildJvm(new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + main, e);
        }
    }

    /**
     * The next line the child prints that starts with {@code prefix} (others are skipped).
     *
     * @param prefix the start of the line to wait for; an empty prefix takes the next line
     * @param timeout how long to wait in all, positive
     * @return the whole line, prefix included, without its line terminator
     * @throws IllegalStateException if none comes within {@code timeout}, or the child exits
     */
    public String await(String prefix, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException("child " + process.pid() + " printed no '" + prefix + "' line within "
                            + timeout + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
                }
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for child " + process.pid(), e);
        }
    }

    /**
     * Writes a line to the child's standard input, and flushes it.
     *
     * @param line the text to send; a line feed is added
     * @throws UncheckedIOException if the child does not read its input (it has exited)
     */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException("child " + process.pid() + " does not read its input", e);
        }
    }

    Process process() {
        return process;
    }

    /**
     * The child's process id, for tools outside the JVM ({@code jcmd}, {@code kill}).
     *
     * @return the operating system's id of the child process
     */
    public long pid() {
        return process.pid();
    }

    /** Sends a signal (such as "STOP" or "CONT") with kill(1). */
    void signal(String name) {
        try {
            int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
            if (rc != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " exited with " + rc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the child (SIGKILL) and waits for it; idempotent. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
