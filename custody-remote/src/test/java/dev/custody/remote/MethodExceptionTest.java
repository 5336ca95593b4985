package dev.custody.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * An exception an exported method throws reaches the client as its type and "the method threw";
 * its message and stack trace go to the server's log. Chosen types may let their messages through.
 */
class MethodExceptionTest {

    /** Keeps what the server logs under {@code dev.custody.remote} while it runs. */
    private static final class ServerLog extends Handler implements AutoCloseable {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();
        private final Logger logger = Logger.getLogger(Disclosure.LOGGER);

        ServerLog() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            records.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @Test
    void theClientGetsTheTypeAndTheServerLogsTheRest() {
        try (ServerLog log = new ServerLog(); ObjectServer server = Fixtures.server().start();
                RemoteClient client = Fixtures.client(server)) {
            RemoteRef catalog = client.lookup("catalog");
            assertThatThrownBy(() -> catalog.invoke("item", -1)).isInstanceOfSatisfying(RemoteException.class, e -> {
                assertThat(e.code()).isEqualTo("UNKNOWN");
                assertThat(e).hasMessageContaining("'item' threw java.lang.ArrayIndexOutOfBoundsException: the method threw")
                        .hasMessageNotContaining("Index -1").hasMessageNotContaining("100000");
            });
            assertThat(log.records).anySatisfy(r -> {
                assertThat(r.getMessage()).contains("'item' of " + dev.custody.remote.demo.Catalog.class.getName());
                assertThat(r.getThrown()).isInstanceOf(ArrayIndexOutOfBoundsException.class)
                        .hasMessageContaining("Index -1");
            });
            assertThat(catalog.get("name")).isEqualTo("demo");
        }
    }

    @Test
    void chosenTypesLetTheirMessagesThrough() {
        try (ObjectServer server = Fixtures.server().revealExceptions(RuntimeException.class).start();
                RemoteClient client = Fixtures.client(server)) {
            RemoteRef catalog = client.lookup("catalog");
            assertThatThrownBy(() -> catalog.invoke("fail", "on purpose")).as("a subtype of a revealed type")
                    .isInstanceOf(RemoteException.class)
                    .hasMessageContaining("'fail' threw java.lang.IllegalStateException: on purpose");
        }
        try (ObjectServer server = Fixtures.server().revealExceptions(IllegalArgumentException.class).start();
                RemoteClient client = Fixtures.client(server)) {
            RemoteRef catalog = client.lookup("catalog");
            assertThatThrownBy(() -> catalog.invoke("fail", "on purpose")).isInstanceOf(RemoteException.class)
                    .hasMessageContaining("the method threw").hasMessageNotContaining("on purpose");
        }
    }
}
