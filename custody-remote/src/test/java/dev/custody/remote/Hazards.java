package dev.custody.remote;

import dev.custody.remote.demo.Item;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A root for hostile-use tests, exported by {@link Fixtures#server()} as "hazards". */
public final class Hazards {
    /** How many {@link #slowItem} calls have returned, so a test knows their results are on their way. */
    final AtomicInteger slowReturned = new AtomicInteger();

    /** A new item, after {@code millis}: long enough for a client's deadline to pass first. */
    public Item slowItem(long millis) throws InterruptedException {
        Thread.sleep(millis);
        slowReturned.incrementAndGet();
        return new Item(-2, "slow");
    }

    /** A new item and {@code bytes} of padding in one result: too big for a client with a smaller limit. */
    public List<Object> oversized(int bytes) {
        return List.of(new Item(-3, "big"), "x".repeat(bytes));
    }
}
