package dev.custody.remote;

import dev.custody.remote.demo.Catalog;
import dev.custody.remote.demo.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A stand-alone object server exporting a demo {@link Catalog} as "catalog", for child-process
 * tests, the {@code remote} stress scenario and the benchmarks.
 *
 * <p>Arguments, each {@code --name value}: {@code port} (default 0), {@code token-file}
 * (required: the access token is written there, readable by the owner only), {@code keepalive-ms}
 * (default 10000), {@code keepalive-timeout-ms} (default 5000), {@code max-pins} (default 1000000),
 * {@code items} (default 100000). Prints {@code LISTENING <port> <epoch>} once serving, and serves
 * until its standard input closes or it is killed.
 */
public final class ServerMain {
    private ServerMain() {
    }

    /**
     * Serves the demo catalog until standard input closes.
     *
     * @param args the {@code --name value} pairs above; a trailing name without a value is ignored
     * @throws IOException if the token file cannot be written, or standard input cannot be read
     * @throws IllegalArgumentException if an argument does not start with {@code --}, {@code
     *     --token-file} is missing, or a number does not parse (as {@link NumberFormatException})
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        String tokenFile = opts.get("token-file");
        if (tokenFile == null) {
            throw new IllegalArgumentException("--token-file is required");
        }
        var allow = Allowlist.builder()
                .allow(Catalog.class, "name", "size", "item", "make", "batch", "fail")
                .allow(Item.class, "id", "label", "next", "sameLabel")
                .build();
        try (ObjectServer server = ObjectServer.builder()
                .port(Integer.parseInt(opts.getOrDefault("port", "0")))
                .allow(allow)
                .root("catalog", new Catalog("demo", Integer.parseInt(opts.getOrDefault("items", "100000"))))
                .lease(Duration.ofMillis(Long.parseLong(opts.getOrDefault("keepalive-ms", "10000"))),
                        Duration.ofMillis(Long.parseLong(opts.getOrDefault("keepalive-timeout-ms", "5000"))))
                .maxPinsPerSession(Long.parseLong(opts.getOrDefault("max-pins", "1000000")))
                .start()) {
            Path file = Path.of(tokenFile);
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, server.accessToken());
            System.out.println("LISTENING " + server.address().getPort() + " " + Long.toHexString(server.epoch()));
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until stdin closes
            }
        }
    }
}
