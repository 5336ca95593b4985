package dev.custody.agent.boot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FFM arenas as owners: each open arena with its kind, creation site and live bytes, and the
 * closed ones aggregated as one row per (kind, site) with a count.
 *
 * <p>An arena is known by its session ({@code jdk.internal.foreign.MemorySessionImpl}). The agent
 * never holds a session strongly: the table's entries are weak references keyed by identity hash,
 * so an {@code ofAuto} arena is collected exactly as it would be without the agent. The close is
 * seen through a close action the agent adds to the session, which runs after the session's own
 * cleanups (they run last-in, first-out), so it sees the arena's blocks already freed.
 */
final class Arenas {
    /** One arena: what the report shows of it. */
    static final class Arena {
        final String kind;
        final String site;
        final String owner;
        final WeakReference<Object> session;
        final int hash;
        final AtomicLong liveBytes = new AtomicLong();
        volatile boolean closed;
        // A one-entry cache of (allocation site -> row); racy but each pair is consistent.
        private volatile long lastSiteRow = -1;

        Arena(Object session, String kind, String site) {
            this.kind = kind;
            this.site = site;
            this.owner = kind + " arena created at " + site;
            this.session = new WeakReference<>(session);
            this.hash = System.identityHashCode(session);
        }

        int row(Rows rows, int allocationSite, String allocationSiteName) {
            long cached = lastSiteRow;
            if (cached != -1 && (int) (cached >>> 32) == allocationSite) {
                return (int) cached;
            }
            int row = rows.row(Rows.ARENA, owner, allocationSiteName);
            lastSiteRow = ((long) allocationSite << 32) | (row & 0xFFFFFFFFL);
            return row;
        }

        /** True while the program can still reach the arena (its session is not collected). */
        boolean reachable() {
            return session.get() != null;
        }
    }

    /** Closed arenas of one (kind, site). */
    record Closed(String kind, String site, long count) {}

    private static final MethodHandle ADD_CLOSE_ACTION;

    static {
        MethodHandle h = null;
        try {
            Class<?> impl = Class.forName("jdk.internal.foreign.MemorySessionImpl");
            h = MethodHandles.lookup().findVirtual(impl, "addCloseAction",
                    MethodType.methodType(void.class, Runnable.class)).asType(
                    MethodType.methodType(void.class, Object.class, Runnable.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not exported to the agent (the installer grants it first): arenas are then never seen closed.
        }
        ADD_CLOSE_ACTION = h;
    }

    private static final int STRIPES = 16;
    private final OpenArenas[] open = new OpenArenas[STRIPES];
    private final ConcurrentHashMap<String, AtomicLong> closed = new ConcurrentHashMap<>();

    Arenas() {
        for (int i = 0; i < STRIPES; i++) {
            open[i] = new OpenArenas();
        }
    }

    private OpenArenas stripe(int hash) {
        return open[(hash ^ (hash >>> 16)) & (STRIPES - 1)];
    }

    /** The arena of a session, or null when it is not known yet. */
    Arena find(Object session) {
        int hash = System.identityHashCode(session);
        OpenArenas s = stripe(hash);
        synchronized (s) {
            return s.find(session, hash);
        }
    }

    /** Records a session as an arena, created at {@code site}, and watches for its close. */
    Arena register(Object session, String site) {
        Arena a = new Arena(session, kindOf(session), site);
        OpenArenas s = stripe(a.hash);
        synchronized (s) {
            s.add(a);
        }
        if (ADD_CLOSE_ACTION != null && !"global".equals(a.kind)) {
            try {
                ADD_CLOSE_ACTION.invokeExact(session, (Runnable) () -> closed(a));
            } catch (Throwable e) {
                // A session already closing or owned by another thread: it is listed as open.
            }
        }
        return a;
    }

    private void closed(Arena a) {
        a.closed = true;
        OpenArenas s = stripe(a.hash);
        synchronized (s) {
            s.remove(a);
        }
        closed.computeIfAbsent(a.kind + "\u0000" + a.site, k -> new AtomicLong()).incrementAndGet();
    }

    /** Open arenas of one stripe: open addressing by identity hash, linear probing, tombstones. */
    private static final class OpenArenas {
        private static final Arena TOMBSTONE = new Arena(new Object(), "other", "");
        private Arena[] slots = new Arena[16];
        private int used; // live + tombstones
        private int live;

        Arena find(Object session, int hash) {
            int mask = slots.length - 1;
            for (int i = hash & mask; ; i = (i + 1) & mask) {
                Arena a = slots[i];
                if (a == null) {
                    return null;
                }
                if (a != TOMBSTONE && a.hash == hash && a.session.get() == session) {
                    return a;
                }
            }
        }

        void add(Arena a) {
            if ((used + 1) * 2 > slots.length) {
                rehash(live + 1 > slots.length / 4 ? slots.length * 2 : slots.length);
            }
            int mask = slots.length - 1;
            int i = a.hash & mask;
            while (slots[i] != null) {
                i = (i + 1) & mask;
            }
            slots[i] = a;
            used++;
            live++;
        }

        void remove(Arena a) {
            int mask = slots.length - 1;
            for (int i = a.hash & mask; slots[i] != null; i = (i + 1) & mask) {
                if (slots[i] == a) {
                    slots[i] = TOMBSTONE;
                    live--;
                    if (slots.length > 16 && live * 8 < slots.length) {
                        rehash(slots.length / 2);
                    }
                    return;
                }
            }
        }

        private void rehash(int capacity) {
            Arena[] old = slots;
            slots = new Arena[capacity];
            used = 0;
            live = 0;
            for (Arena a : old) {
                if (a != null && a != TOMBSTONE) {
                    add(a);
                }
            }
        }

        void copyTo(List<Arena> out) {
            for (Arena a : slots) {
                if (a != null && a != TOMBSTONE) {
                    out.add(a);
                }
            }
        }
    }

    static String kindOf(Object session) {
        return switch (session.getClass().getName()) {
            case "jdk.internal.foreign.ConfinedSession" -> "confined";
            case "jdk.internal.foreign.SharedSession" -> "shared";
            case "jdk.internal.foreign.ImplicitSession" -> "auto";
            case "jdk.internal.foreign.GlobalSession" -> "global";
            default -> "other";
        };
    }

    /** The arenas still open, in no particular order. */
    List<Arena> open() {
        List<Arena> all = new ArrayList<>();
        for (OpenArenas s : open) {
            synchronized (s) {
                s.copyTo(all);
            }
        }
        return all;
    }

    /** The closed arenas, one entry per (kind, site), sorted. */
    List<Closed> closed() {
        Map<String, Long> sorted = new TreeMap<>();
        closed.forEach((k, v) -> sorted.put(k, v.get()));
        List<Closed> out = new ArrayList<>();
        sorted.forEach((k, v) -> {
            int cut = k.indexOf('\u0000');
            out.add(new Closed(k.substring(0, cut), k.substring(cut + 1), v));
        });
        return out;
    }
}
