package dev.custody.remote;

import dev.custody.remote.demo.Catalog;
import dev.custody.remote.demo.Item;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the tests share: the demo allowlist, in-process servers, and waiting under allocation. */
final class Fixtures {
    static final boolean SOAK = "soak".equals(System.getProperty("custody.tier", "fast"));
    static volatile Object sink;

    private Fixtures() {
    }

    static Allowlist allowlist() {
        return Allowlist.builder()
                .allow(Catalog.class, "name", "size", "item", "make", "batch", "fail")
                .allow(Item.class, "id", "label", "next", "sameLabel")
                .allow(Hazards.class, "slowItem", "oversized")
                .build();
    }

    /** A server on loopback exporting a demo catalog as "catalog", and {@link Hazards} as "hazards". */
    static ObjectServerBuilder server() {
        return ObjectServer.builder().allow(allowlist()).root("catalog", new Catalog("demo", 100_000))
                .root("hazards", new Hazards());
    }

    static RemoteClient client(ObjectServer server) {
        return client(server, ClientOptions.defaults());
    }

    static RemoteClient client(ObjectServer server, ClientOptions options) {
        return RemoteClient.connect("127.0.0.1", server.address().getPort(), AccessToken.of(server.accessToken()), options);
    }

    /**
     * Allocates short-lived garbage, as a normal program does, until {@code done} holds; never calls
     * System.gc().
     *
     * @return whether it held within {@code timeout}
     */
    static boolean underAllocation(BooleanSupplier done, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            for (int i = 0; i < 256; i++) {
                sink = new byte[16 * 1024];
            }
            sleep(2);
        }
        return done.getAsBoolean();
    }

    /** Polls {@code done} every 20 ms. */
    static boolean within(Duration timeout, BooleanSupplier done) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (done.getAsBoolean()) {
                return true;
            }
            sleep(20);
        }
        return done.getAsBoolean();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
