package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no access token in environment variable CUSTODY_NO_SUCH_VARIABLE_42");
        assertThatThrownBy(() -> AccessToken.fromFile(dir.resolve("absent")).read())
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("absent");
    }
}
