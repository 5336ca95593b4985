package dev.custody.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Where a client finds the server's access token. The token is read at every (re)connect, so a
 * restarted server's new token is picked up from the same file or variable.
 */
public final class AccessToken {
    private final String source;
    private final Supplier<String> reader;

    private AccessToken(String source, Supplier<String> reader) {
        this.source = source;
        this.reader = reader;
    }

    /**
     * The token in a file (surrounding whitespace ignored). The file is read at every (re)connect,
     * not here, so it need not exist yet.
     *
     * @param file the file holding the token, such as the one a server's {@link
     *     ObjectServer#accessToken()} was written to
     * @return a source that reads {@code file}
     */
    public static AccessToken fromFile(Path file) {
        return new AccessToken("file " + file, () -> {
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the access token from " + file, e);
            }
        });
    }

    /**
     * The token in an environment variable, read at every (re)connect.
     *
     * @param variable the environment variable's name
     * @return a source that reads {@code variable} from this process's environment
     */
    public static AccessToken fromEnv(String variable) {
        return new AccessToken("environment variable " + variable, () -> System.getenv(variable));
    }

    /**
     * A token given directly, such as {@link ObjectServer#accessToken()} in the same process.
     *
     * @param token the token; a null or blank token makes every connect fail with {@code
     *     UNAUTHENTICATED}
     * @return a source that always gives {@code token}
     */
    public static AccessToken of(String token) {
        return new AccessToken("a given string", () -> token);
    }

    /**
     * Reads the token now.
     *
     * @throws RemoteException {@code UNAUTHENTICATED} if the source holds no token, or only
     *     whitespace (nothing is sent to the server)
     * @throws UncheckedIOException if a token file cannot be read
     */
    String read() {
        String t = reader.get();
        if (t == null || t.isBlank()) {
            throw new RemoteException("UNAUTHENTICATED", "no access token in " + source + "; no session was opened");
        }
        return t;
    }

    @Override
    public String toString() {
        return "AccessToken[" + source + "]";
    }
}
