package dev.custody.remote;

import dev.custody.remote.wire.Limits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What one server run knows: its epoch, access token, roots, limits and live sessions. */
final class ServerState {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long epoch = RANDOM.nextLong();
    private final byte[] accessToken;
    private final Map<String, Object> roots;
    private final Limits limits;
    private final Disclosure disclosure;
    private final Members members;
    private final ServerValues values;
    private final Map<String, ServerSession> byToken = new ConcurrentHashMap<>();
    private final Map<Long, ServerSession> byId = new ConcurrentHashMap<>();
    private final AtomicLong pins = new AtomicLong();
    private final AtomicLong nextSession = new AtomicLong();
    private final AtomicLong nextHandle = new AtomicLong();
    private final ScheduledThreadPoolExecutor reaper = new ScheduledThreadPoolExecutor(1,
            r -> Thread.ofPlatform().daemon().name("custody-lease-reaper").unstarted(r));

    ServerState(String accessToken, Map<String, Object> roots, Allowlist allowlist, Limits limits, Disclosure disclosure) {
        this.accessToken = accessToken.getBytes(StandardCharsets.UTF_8);
        this.roots = Map.copyOf(roots);
        this.limits = limits;
        this.disclosure = disclosure;
        this.members = new Members(allowlist, disclosure);
        this.values = new ServerValues(allowlist, epoch);
        reaper.setRemoveOnCancelPolicy(true); // a hello deadline, cancelled, leaves the queue at once
        long period = reaperPeriodMillis(limits.getHeartbeatMillis());
        reaper.scheduleWithFixedDelay(this::reap, period, period, TimeUnit.MILLISECONDS);
    }

    /** How often silent sessions are looked for: half a heartbeat, at most 100 ms. */
    static long reaperPeriodMillis(long heartbeatMillis) {
        return Math.clamp(heartbeatMillis / 2, 1, 100);
    }

    /** Ends the sessions whose client has been silent for longer than the lease bound. */
    private void reap() {
        long bound = TimeUnit.MILLISECONDS.toNanos(limits.getLeaseBoundMillis());
        long now = System.nanoTime();
        byId.values().stream().filter(s -> s.silentFor(bound, now)).forEach(ServerSession::expire);
    }

    /** Runs {@code action} once, after {@code millis}, on the lease thread. */
    ScheduledFuture<?> schedule(Runnable action, long millis) {
        return reaper.schedule(action, millis, TimeUnit.MILLISECONDS);
    }

    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    long epoch() {
        return epoch;
    }

    Limits limits() {
        return limits;
    }

    Disclosure disclosure() {
        return disclosure;
    }

    Members members() {
        return members;
    }

    ServerValues values() {
        return values;
    }

    boolean accessTokenMatches(String presented) {
        return MessageDigest.isEqual(accessToken, presented.getBytes(StandardCharsets.UTF_8));
    }

    Object root(String name) {
        Object root = roots.get(name);
        if (root == null) {
            throw Failures.unknownRoot(name);
        }
        return root;
    }

    /** @param maxResultBytes the largest result the client accepts */
    ServerSession open(int maxResultBytes) {
        var s = new ServerSession(nextSession.incrementAndGet(), newToken(), maxResultBytes, limits.getMaxPins(), pins,
                nextHandle::incrementAndGet);
        byToken.put(s.token, s);
        byId.put(s.id, s);
        return s;
    }

    void close(ServerSession s) {
        s.end();
        byToken.remove(s.token);
        byId.remove(s.id);
    }

    /** The live session with this token, or null. */
    ServerSession session(String token) {
        return token == null ? null : byToken.get(token);
    }

    long pinCount() {
        return pins.get();
    }

    long pinCount(long session) {
        ServerSession s = byId.get(session);
        return s == null ? 0 : s.pins();
    }

    long releaseMessages(long session) {
        ServerSession s = byId.get(session);
        return s == null ? 0 : s.releaseMessages();
    }

    int sessionCount() {
        return byId.size();
    }

    Map<Long, Long> sessionPins() {
        Map<Long, Long> m = new TreeMap<>();
        byId.values().forEach(s -> m.put(s.id, s.pins()));
        return m;
    }

    void closeAll() {
        reaper.shutdownNow();
        byId.values().forEach(this::close);
    }
}
