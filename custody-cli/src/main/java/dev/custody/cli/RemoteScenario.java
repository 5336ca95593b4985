package dev.custody.cli;

import dev.custody.remote.ClientMetrics;
import dev.custody.remote.ClientOptions;
import dev.custody.remote.RemoteClient;
import dev.custody.remote.RemoteRef;
import dev.custody.remote.ServerProcess;
import dev.custody.remote.ServerStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code remote}: the seed of a client driving another process's objects. A child JVM serves a demo
 * catalog ({@link dev.custody.remote.ServerMain}, started with this JVM's java and class path); each
 * cycle looks up the catalog, invokes methods that return new pinned objects (single items, shared
 * items, a batch result), reads their properties, closes some proxies and drops the rest, partly
 * inside a hold scope. The cycle ends once every dropped proxy has been released (under normal
 * allocation, with the client's opt-in GC request at most once a second for proxies that reached
 * the old generation), bounded by 30 s.
 *
 * <p>Exact figures per cycle: the server's pin count for this session and for all sessions
 * (read from the server's own pin table through the Stats call), the client's live proxies and its
 * release-queue depth. Each must stay where the first cycle left it (the catalog proxy: 1, 1, 1, 0).
 * Witnesses: the client's native RSS ({@link Witnesses}) and the server's whole RSS, read from
 * {@code /proc/PID/statm}; the server runs on a fixed, pre-touched 256 MiB heap ({@link #SERVER_JVM}),
 * so its resident set moves only with its native memory, metaspace and code. Tolerance 32 MiB each.
 *
 * <p>With {@code --inject-leak remote:N}, each cycle keeps N more proxies of new objects: their pins
 * never come home, so the pins and live proxies grow by N a cycle.
 * Release messages and latency go to the notes at the end.
 *
 * <p>With {@code --demo-mistake}: a closed proxy is used again (refused at once by the client) and
 * a proxy is passed to a second session (refused before it reaches the wire).
 *
 * <p>The child is killed on every exit: in a finally block, and by a shutdown hook if the JVM is
 * interrupted. Cycles: {@code options.cycles()} when positive, else {@value #DEFAULT_CYCLES}, or
 * {@value #SOAK_CYCLES} in the soak tier.
 */
final class RemoteScenario implements Scenario {
    static final int DEFAULT_CYCLES = 20;
    static final int SOAK_CYCLES = 200;
    private static final int CALLS_PER_CYCLE = 1_000;
    private static final int BATCH = 250;
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /** The server's JVM: a fixed, pre-touched heap, so that its resident set witnesses its native memory. */
    static final List<String> SERVER_JVM = List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch");
    /** Both resident sets (client native, server whole) may move by 32 MiB. */
    private static final long RSS_TOLERANCE = 32L << 20;
    private static volatile Object sink;

    @Override
    public String name() {
        return "remote";
    }

    @Override
    public String summary() {
        return "a child JVM serves objects over gRPC; proxies are looked up, invoked, closed and dropped, "
                + "and every pin comes home in batched releases";
    }

    @Override
    public void run(StressOptions options, CycleLog log) throws Exception {
        int cycles = options.cyclesOr(DEFAULT_CYCLES, SOAK_CYCLES);
        Path tokenFile = ServerProcess.tempTokenFile();
        ServerProcess server = ServerProcess.start(SERVER_JVM, 0, tokenFile, Duration.ofSeconds(2), Duration.ofSeconds(2));
        Thread killer = new Thread(server::close, "custody-remote-scenario-cleanup");
        Runtime.getRuntime().addShutdownHook(killer);
        try (RemoteClient client = RemoteClient.connect("127.0.0.1", server.port(), server.token(),
                ClientOptions.defaults().withGcRequestInterval(Duration.ofSeconds(1)))) {
            log.note("server pid " + server.pid() + " on 127.0.0.1:" + server.port() + ", session " + client.sessionId());
            String rssNote = Witnesses.rssNote();
            if (rssNote != null) {
                log.note(rssNote.replace("native RSS", "the client's native RSS"));
            }
            RemoteRef catalog = client.lookup("catalog");
            List<RemoteRef> leaked = new ArrayList<>();
            long leak = options.leakPerCycle(name());
            SplittableRandom random = new SplittableRandom(options.seed());
            if (options.demoMistake()) {
                demoMistakes(client, server, catalog, log);
            }
            for (int c = 1; c <= cycles; c++) {
                cycle(client, catalog, random);
                for (long i = 0; i < leak; i++) {
                    leaked.add((RemoteRef) catalog.invoke("make", "leaked")); // kept: its pin never comes home
                }
                boolean settled = settle(client, 1 + leaked.size());
                ServerStats stats = client.serverStats();
                ClientMetrics m = client.metrics();
                log.begin(c);
                log.exact("session pins", stats.sessionPins());
                log.exact("server pins", stats.totalPins());
                log.exact("live proxies", m.liveProxies());
                log.exact("queue depth", m.queueDepth());
                Witnesses.rss(log, "client " + Witnesses.NATIVE_RSS, Witnesses.nativeRss(), RSS_TOLERANCE,
                        Witnesses.heapPinned());
                log.witness("server RSS B", Witnesses.rssOf(server.pid()), RSS_TOLERANCE);
                log.end();
                if (!settled) {
                    log.fail("cycle " + c + ": " + (m.liveProxies() - 1 - leaked.size())
                            + " dropped proxies not released within " + SETTLE);
                }
            }
            if (!leaked.isEmpty()) {
                leaked.forEach(RemoteRef::close);
                log.note("--inject-leak: the " + leaked.size() + " proxies kept on purpose were closed after the last cycle");
            }
            ClientMetrics m = client.metrics();
            log.note(String.format("%,d releases sent in %,d messages (%.1f per message); queued-to-acknowledged p50 %.1f ms,"
                    + " p99 %.1f ms; %d GC requests", m.releasesSent(), m.releaseMessages(),
                    m.releasesSent() / (double) Math.max(1, m.releaseMessages()), m.latencyP50Nanos() / 1e6,
                    m.latencyP99Nanos() / 1e6, m.gcRequests()));
        } finally {
            server.close();
            Runtime.getRuntime().removeShutdownHook(killer);
        }
    }

    /** One cycle's calls; every proxy it makes is closed or dropped by the time it returns. */
    private static void cycle(RemoteClient client, RemoteRef catalog, SplittableRandom random) {
        List<Object> kept = new ArrayList<>();
        try (var hold = client.holdReleases()) {
            for (int i = 0; i < CALLS_PER_CYCLE / 2; i++) {
                kept.add(catalog.invoke("item", random.nextInt(256)));
            }
        }
        kept.add(catalog.invoke("batch", BATCH));
        for (int i = 0; i < CALLS_PER_CYCLE / 2; i++) {
            RemoteRef item = (RemoteRef) catalog.invoke("make", "cycle-item");
            if (random.nextInt(4) == 0) {
                item.invoke("next").toString();
                item.close();
            } else if (random.nextBoolean()) {
                item.get("label");
            }
        }
        kept.clear();
    }

    /**
     * Waits, allocating as a normal program does, until only {@code live} proxies (the catalog's, and
     * those an injected leak keeps) are live and all releases are acknowledged.
     */
    private static boolean settle(RemoteClient client, long live) throws InterruptedException {
        long end = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < end) {
            ClientMetrics m = client.metrics();
            // No flush in flight either: every queued release acknowledged (or discarded with a lost session).
            if (m.liveProxies() == live && m.queueDepth() == 0
                    && m.releasesSent() + m.releasesDiscarded() == m.releasesQueued()) {
                return true;
            }
            for (int i = 0; i < 64; i++) {
                sink = new byte[16 * 1024];
            }
            Thread.sleep(2);
        }
        return false;
    }

    private static void demoMistakes(RemoteClient client, ServerProcess server, RemoteRef catalog, CycleLog log) {
        RemoteRef item = (RemoteRef) catalog.invoke("item", 1);
        item.close();
        try {
            item.get("label");
            log.fail("--demo-mistake: a closed proxy was used");
        } catch (IllegalStateException e) {
            log.refused("--demo-mistake: using a closed proxy is refused: " + e.getMessage());
        }
        RemoteRef mine = (RemoteRef) catalog.invoke("item", 2);
        try (RemoteClient other = RemoteClient.connect("127.0.0.1", server.port(), server.token())) {
            RemoteRef theirs = other.lookup("catalog");
            try {
                theirs.invoke("item", mine);
                log.fail("--demo-mistake: a proxy crossed into another session");
            } catch (IllegalArgumentException e) {
                log.refused("--demo-mistake: passing a proxy to another session is refused: " + e.getMessage());
            }
        }
        mine.close();
    }
}
