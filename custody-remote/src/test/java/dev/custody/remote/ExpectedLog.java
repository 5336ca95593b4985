package dev.custody.remote;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A log record that a test provokes on purpose (gRPC's SEVERE stack trace of a message it cannot
 * parse), kept off the console and handed to the test instead, so that {@code ./custody test}
 * prints only what went wrong. Records that do not match pass to the logger's own filter as before;
 * {@link #close()} puts that filter back.
 */
final class ExpectedLog implements AutoCloseable {
    private final Logger logger;
    private final Filter prior;
    private final List<LogRecord> caught = new CopyOnWriteArrayList<>();

    private ExpectedLog(Logger logger, String thrownMessage) {
        this.logger = logger;
        this.prior = logger.getFilter();
        logger.setFilter(r -> {
            Throwable t = r.getThrown();
            if (t != null && String.valueOf(t.getMessage()).contains(thrownMessage)) {
                caught.add(r);
                return false;
            }
            return prior == null || prior.isLoggable(r);
        });
    }

    /**
     * Catches the records of {@code loggerName} whose exception's message contains {@code thrownMessage}.
     */
    static ExpectedLog expect(String loggerName, String thrownMessage) {
        return new ExpectedLog(Logger.getLogger(loggerName), thrownMessage);
    }

    /**
     * Waits until at least one record was caught: the server logs after it has answered, so the
     * record can come after the client saw its status.
     *
     * @return the records caught
     * @throws AssertionError if none came within the timeout
     */
    List<LogRecord> await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (caught.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no record of " + logger.getName() + " came within " + timeout);
            }
            Thread.sleep(10);
        }
        return List.copyOf(caught);
    }

    @Override
    public void close() {
        logger.setFilter(prior);
    }
}
