package dev.custody.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ServerMain} in a child JVM started with this JVM's java and class path, for tests, the
 * {@code remote} stress scenario and the benchmarks. {@link #close()} kills it; callers should
 * also close it from a shutdown hook.
 */
public final class ServerProcess implements AutoCloseable {
    private final ChildJvm child;
    private final int port;
    private final Path tokenFile;

    private ServerProcess(ChildJvm child, int port, Path tokenFile) {
        this.child = child;
        this.port = port;
        this.tokenFile = tokenFile;
    }

    /**
     * Starts a server and waits until it listens.
     *
     * @param port 0 for an ephemeral port, or a port to reuse (after a restart)
     * @param tokenFile where the server writes its access token
     * @param keepAlive the lease's keepalive time
     * @param keepAliveTimeout the lease's keepalive timeout
     * @param extraArgs more {@code --name value} arguments for {@link ServerMain}
     * @return the listening server's process
     * @throws IllegalStateException if it is not listening within 30 s (it is then killed)
     * @throws java.io.UncheckedIOException if the child JVM cannot be started
     */
    public static ServerProcess start(int port, Path tokenFile, Duration keepAlive, Duration keepAliveTimeout,
            String... extraArgs) {
        return start(List.of("-Xmx512m"), port, tokenFile, keepAlive, keepAliveTimeout, extraArgs);
    }

    /**
     * As {@link #start(int, Path, Duration, Duration, String...)}, with the server JVM's own options
     * (such as a fixed, pre-touched heap, for a witness of its resident set) in place of {@code -Xmx512m}.
     *
     * @param jvmArgs the server JVM's options, placed before its class path
     * @param port 0 for an ephemeral port, or a port to reuse (after a restart)
     * @param tokenFile where the server writes its access token
     * @param keepAlive the lease's keepalive time, at least 1 ms
     * @param keepAliveTimeout the lease's keepalive timeout, at least 1 ms
     * @param extraArgs more {@code --name value} arguments for {@link ServerMain}
     * @return the listening server's process
     * @throws IllegalStateException as {@link #start(int, Path, Duration, Duration, String...)}
     * @throws java.io.UncheckedIOException if the child JVM cannot be started
     */
    public static ServerProcess start(List<String> jvmArgs, int port, Path tokenFile, Duration keepAlive,
            Duration keepAliveTimeout, String... extraArgs) {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--token-file", tokenFile.toString(),
                "--keepalive-ms", Long.toString(keepAlive.toMillis()),
                "--keepalive-timeout-ms", Long.toString(keepAliveTimeout.toMillis())));
        args.addAll(List.of(extraArgs));
        ChildJvm child = ChildJvm.start(ServerMain.class.getName(), List.copyOf(jvmArgs), args);
        try {
            String line = child.await("LISTENING ", Duration.ofSeconds(30));
            return new ServerProcess(child, Integer.parseInt(line.split(" ")[1]), tokenFile);
        } catch (RuntimeException e) {
            child.close();
            throw e;
        }
    }

    /**
     * A new, empty temporary file for a server's token, deleted when this JVM exits.
     *
     * @return the file's path
     * @throws UncheckedIOException if the file cannot be created
     */
    public static Path tempTokenFile() {
        try {
            Path f = Files.createTempFile("custody-remote-", ".token");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The port the server listens on, on the loopback address.
     *
     * @return the port it printed once listening; the actual one when 0 was asked for
     */
    public int port() {
        return port;
    }

    /**
     * The server's access token, for {@link RemoteClient#connect}.
     *
     * @return a source that reads the token file, so it follows a restarted server's new token
     */
    public AccessToken token() {
        return AccessToken.fromFile(tokenFile);
    }

    /**
     * The server's process id.
     *
     * @return the operating system's id of the child JVM
     */
    public long pid() {
        return child.pid();
    }

    /**
     * Whether the server's process is still running.
     *
     * @return false once it has exited or was killed
     */
    public boolean isAlive() {
        return child.process().isAlive();
    }

    /** Kills the server with SIGKILL and waits for it to exit; idempotent. */
    @Override
    public void close() {
        child.close();
    }
}
