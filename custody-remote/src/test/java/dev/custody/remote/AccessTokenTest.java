package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {
    @Test
    void aFileIsReadAtEveryUseAndStripped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, "first-token-value\n");
        AccessToken token = AccessToken.fromFile(file);
        assertThat(token.read()).isEqualTo("first-token-value");
        Files.writeString(file, "  second-token-value ");
        assertThat(token.read()).as("a restarted server's new token is picked up").isEqualTo("second-token-value");
    }

    @Test
    void anEnvironmentVariableIsRead() {
        String path = System.getenv("PATH");
        assertThat(AccessToken.fromEnv("PATH").read()).isEqualTo(path);
    }

    @Test
    void aMissingSourceIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> AccessToken.fromEnv("CUSTODY_NO_SUCH_VARIABLE_42").read())
                .isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.code()).isEqualTo("UNAUTHENTICATED"))
                .hasMessageContaining("no access token in environment variable CUSTODY_NO_SUCH_VARIABLE_42");
        assertThatThrownBy(() -> AccessToken.fromFile(dir.resolve("absent")).read())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("absent");
    }

    /** connect() and reconnect() refuse an empty token as connect() documents: a RemoteException. */
    @Test
    void anEmptyTokenIsARemoteExceptionOnConnectAndReconnect(@TempDir Path dir) throws Exception {
        try (ObjectServer server = Fixtures.server().start()) {
            int port = server.address().getPort();
            Path blank = dir.resolve("blank");
            Files.writeString(blank, " \n");
            for (AccessToken empty : List.of(AccessToken.of(""), AccessToken.fromFile(blank),
                    AccessToken.fromEnv("CUSTODY_NO_SUCH_VARIABLE_42"))) {
                assertThatThrownBy(() -> RemoteClient.connect("127.0.0.1", port, empty))
                        .isInstanceOfSatisfying(RemoteException.class, e -> assertThat(e.code()).isEqualTo("UNAUTHENTICATED"))
                        .hasMessageContaining("no access token in");
            }
            Path file = dir.resolve("token");
            Files.writeString(file, server.accessToken());
            try (RemoteClient client = RemoteClient.connect("127.0.0.1", port, AccessToken.fromFile(file))) {
                Files.writeString(file, "");
                assertThatThrownBy(client::reconnect).isInstanceOf(RemoteException.class)
                        .hasMessageContaining("no access token in file");
            }
            assertThat(Fixtures.within(Duration.ofSeconds(10), () -> server.sessionPins().isEmpty()))
                    .as("no session was opened, and the client's ended").isTrue();
        }
    }
}
