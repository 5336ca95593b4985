package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leases against real client processes: a client killed with SIGKILL, and one stopped with SIGSTOP
 * (its socket stays open, so only the keepalive can end its lease). The server runs in this JVM
 * so that its pin table can be read directly.
 */
class LeaseTest {
    /** Keepalive 1 s + timeout 1 s: the stated lease bound is 2.1 s. */
    private static final Duration KEEPALIVE = Duration.ofSeconds(1);

    private ObjectServer server;
    private Path tokenFile;
    private ChildJvm child;

    @BeforeEach
    void start() throws Exception {
        server = Fixtures.server().lease(KEEPALIVE, KEEPALIVE).start();
        tokenFile = ServerProcess.tempTokenFile();
        Files.writeString(tokenFile, server.accessToken());
    }

    @AfterEach
    void stop() {
        if (child != null) {
            if (child.process().isAlive()) {
                child.signal("CONT");
            }
            child.close();
        }
        server.close();
    }

    private long startClient(int pins) {
        child = ChildJvm.start(ClientMain.class.getName(), List.of("-Xmx128m"),
                List.of(Integer.toString(server.address().getPort()), tokenFile.toString(), Integer.toString(pins)));
        String[] line = child.await("PINNED ", Duration.ofSeconds(60)).split(" ");
        long session = Long.parseLong(line[1]);
        assertThat(server.pinCount(session)).as("the batch and the catalog").isEqualTo(pins + 1);
        return session;
    }

    @Test
    void aKilledClientsPinsAreReleasedWithin15Seconds() {
        long session = startClient(10_000);
        long killed = System.nanoTime();
        child.process().destroyForcibly();
        boolean released = Fixtures.within(Duration.ofSeconds(15), () -> server.pinCount(session) == 0);
        System.out.printf("[lease] SIGKILL: 10,000 pins released after %d ms%n", (System.nanoTime() - killed) / 1_000_000);
        assertThat(released).isTrue();
        assertThat(server.pinCount()).isZero();
    }

    @Test
    void aStoppedClientLosesItsLeaseByKeepaliveAndCanReconnect() {
        long session = startClient(10_000);
        child.signal("STOP");
        long stopped = System.nanoTime();
        // Stated bound: keepalive 1 s + timeout 1 s + the 100 ms check; 15 s is the generous
        // tolerance for a loaded 2-core machine.
        boolean released = Fixtures.within(Duration.ofSeconds(15), () -> server.pinCount(session) == 0);
        System.out.printf("[lease] SIGSTOP: 10,000 pins released after %d ms (lease bound %s)%n",
                (System.nanoTime() - stopped) / 1_000_000, server.leaseBound());
        assertThat(released).isTrue();
        child.signal("CONT");
        child.send("CALL");
        String error = child.await("ERROR", Duration.ofSeconds(30));
        assertThat(error).contains("SessionLostException").contains("reconnect");
        child.send("RECONNECT");
        String[] again = child.await("RECONNECTED", Duration.ofSeconds(30)).split(" ");
        long next = Long.parseLong(again[1]);
        assertThat(next).isNotEqualTo(session);
        assertThat(again[2]).isEqualTo("demo");
        assertThat(server.pinCount(next)).as("the new session holds only its new catalog proxy").isEqualTo(1);
        assertThat(server.pinCount()).isEqualTo(1);
    }
}
