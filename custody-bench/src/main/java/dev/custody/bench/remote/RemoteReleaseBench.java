package dev.custody.bench.remote;

import dev.custody.remote.ClientMetrics;
import dev.custody.remote.RemoteClient;
import dev.custody.remote.RemoteRef;
import dev.custody.remote.ServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * A measured harness (not JMH: it measures the latency of asynchronous events, and counts
 * messages) for custody's remote references, against a server in a child JVM on loopback:
 * <ol>
 *   <li>release messages per 10,000 dropped proxies (counted by the server);</li>
 *   <li>drop-to-release latency of young proxies under normal allocation: a wave of proxies is
 *       dropped at t0, and each release is timed when the client's acknowledged-release counter
 *       passes it (polled every 50 us);</li>
 *   <li>drop-to-release latency of {@code close()}, which returns once the server has acknowledged.</li>
 * </ol>
 * No {@code System.gc()} is called and the client runs with its defaults (no GC requests).
 *
 * <p>Run: {@code java -cp <custody-bench and its dependencies> dev.custody.bench.remote.RemoteReleaseBench [rounds]}.
 */
public final class RemoteReleaseBench {
    private static final int DROPS = 10_000;
    private static final int WAVE = 1_000;
    private static volatile Object sink;
    private static volatile boolean allocating;

    private RemoteReleaseBench() {
    }

    /**
     * Starts the server, measures the three figures and prints them on standard output.
     *
     * @param args optionally the number of measured rounds (10 by default)
     * @throws NumberFormatException if the rounds argument is not a whole number
     * @throws Exception if the server does not start, a remote call fails, or the run is interrupted
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (ServerProcess server = ServerProcess.start(0, ServerProcess.tempTokenFile(), Duration.ofSeconds(10),
                Duration.ofSeconds(5));
                RemoteClient client = RemoteClient.connect("127.0.0.1", server.port(), server.token())) {
            RemoteRef catalog = client.lookup("catalog");
            Thread allocator = Thread.ofPlatform().daemon().name("normal-allocation").start(RemoteReleaseBench::allocate);
            try {
                for (int i = 0; i < 3; i++) {
                    messagesPerDrop(client, catalog); // warm-up: JIT of both sides
                }
                long[] messages = new long[rounds];
                for (int r = 0; r < rounds; r++) {
                    messages[r] = messagesPerDrop(client, catalog);
                }
                long[] young = youngLatencies(client, catalog, rounds * 2);
                long[] closed = closeLatencies(catalog, rounds * 1_000);
                ClientMetrics m = client.metrics();
                Arrays.sort(messages);
                System.out.printf(Locale.ROOT, "remote: release messages per %,d dropped proxies: min %d, median %d, max %d (%d rounds)%n",
                        DROPS, messages[0], messages[rounds / 2], messages[rounds - 1], rounds);
                report("young proxies, drop to release", young);
                report("close(), call to acknowledged release", closed);
                System.out.printf(Locale.ROOT, "remote: client totals: %,d releases in %,d messages; queued-to-acked p50 %.2f ms, p99 %.2f ms; GC requests %d%n",
                        m.releasesSent(), m.releaseMessages(), m.latencyP50Nanos() / 1e6, m.latencyP99Nanos() / 1e6,
                        m.gcRequests());
                System.out.printf("remote: server pins left for this session: %d (the catalog)%n",
                        client.serverStats().sessionPins());
            } finally {
                allocating = false;
                allocator.join();
            }
        }
    }

    /** Normal allocation: about 100 MB/s of short-lived 16 KiB arrays. */
    private static void allocate() {
        allocating = true;
        while (allocating) {
            sink = new byte[16 * 1024];
            LockSupport.parkNanos(150_000);
        }
    }

    private static List<RemoteRef> items(RemoteRef catalog, int n) {
        List<RemoteRef> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add((RemoteRef) catalog.invoke("make", "bench"));
        }
        return out;
    }

    /** Drops 10,000 proxies and counts the release messages the server received for them. */
    private static long messagesPerDrop(RemoteClient client, RemoteRef catalog) {
        List<RemoteRef> proxies = items(catalog, DROPS);
        long sent = client.metrics().releasesSent();
        long before = client.serverStats().releaseMessages();
        proxies.clear();
        awaitReleases(client, sent + DROPS, null, 0);
        return client.serverStats().releaseMessages() - before;
    }

    /** Waves of young proxies dropped at once; one latency per release. */
    private static long[] youngLatencies(RemoteClient client, RemoteRef catalog, int waves) {
        long[] out = new long[waves * WAVE];
        for (int w = 0; w < waves; w++) {
            List<RemoteRef> proxies = items(catalog, WAVE);
            long sent = client.metrics().releasesSent();
            long t0 = System.nanoTime();
            proxies.clear();
            awaitReleases(client, sent + WAVE, out, w * WAVE - sent, t0);
        }
        return out;
    }

    private static void awaitReleases(RemoteClient client, long target, long[] latencies, long offset) {
        awaitReleases(client, target, latencies, offset, System.nanoTime());
    }

    /** Polls the acknowledged-release counter until {@code target}; records (t - t0) per release. */
    private static void awaitReleases(RemoteClient client, long target, long[] latencies, long offset, long t0) {
        long deadline = t0 + Duration.ofSeconds(120).toNanos();
        long seen = client.metrics().releasesSent();
        while (seen < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("releases stalled at " + seen + " of " + target);
            }
            LockSupport.parkNanos(50_000);
            long now = client.metrics().releasesSent();
            long t = System.nanoTime() - t0;
            for (long k = seen; latencies != null && k < Math.min(now, target); k++) {
                latencies[(int) (k + offset)] = t;
            }
            seen = now;
        }
    }

    private static long[] closeLatencies(RemoteRef catalog, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            RemoteRef r = (RemoteRef) catalog.invoke("make", "bench");
            long t0 = System.nanoTime();
            r.close();
            out[i] = System.nanoTime() - t0;
        }
        return out;
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "remote: %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d releases)%n", what,
                s[s.length / 2] / 1e6, s[(int) (s.length * 0.99)] / 1e6, s[s.length - 1] / 1e6, s.length);
    }
}
