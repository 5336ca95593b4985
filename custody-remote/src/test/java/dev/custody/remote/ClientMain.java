package dev.custody.remote;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.List;

/**
 * A client in a child JVM, for the lease tests: pins {@code n} new items, prints
 * {@code PINNED <session> <n>}, then obeys lines on its standard input: {@code CALL} (prints
 * {@code OK} or {@code ERROR <exception> <message>}) and {@code RECONNECT} (prints
 * {@code RECONNECTED <session> <catalog name>}).
 *
 * <p>Arguments: port, token file, n.
 */
public final class ClientMain {
    private ClientMain() {
    }

    public static void main(String[] args) throws Exception {
        RemoteClient client = RemoteClient.connect("127.0.0.1", Integer.parseInt(args[0]),
                AccessToken.fromFile(Path.of(args[1])));
        RemoteRef catalog = client.lookup("catalog");
        List<?> items = (List<?>) catalog.invoke("batch", Integer.parseInt(args[2]));
        System.out.println("PINNED " + client.sessionId() + " " + items.size());
        var in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            switch (line) {
                case "CALL" -> {
                    try {
                        catalog.get("name");
                        System.out.println("OK");
                    } catch (RuntimeException e) {
                        System.out.println("ERROR " + e.getClass().getSimpleName() + " " + e.getMessage());
                    }
                }
                case "RECONNECT" -> {
                    client.reconnect();
                    catalog = client.lookup("catalog");
                    System.out.println("RECONNECTED " + client.sessionId() + " " + catalog.get("name"));
                }
                default -> System.out.println("ERROR unknown command " + line);
            }
            System.out.flush();
        }
        client.close();
    }
}
