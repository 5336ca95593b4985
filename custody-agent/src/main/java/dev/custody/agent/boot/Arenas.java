package dev.custody.agent.boot;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FFM arenas as owners: each open arena with its kind, creation site and live bytes, and the
 * closed ones aggregated as one row per (kind, site) with a count.
 *
 * <p>An arena is known by its session ({@code jdk.internal.foreign.MemorySessionImpl}). The agent
 * never holds a session strongly: each arena is a weak reference to it, found by identity hash,
 * so an {@code ofAuto} arena is collected exactly as it would be without the agent. The close is
 * seen through a close action the agent adds to the session, which runs after the session's own
 * cleanups (they run last-in, first-out), so it sees the arena's blocks already freed.
 */
final class Arenas {
    private static final String[] KINDS = {"confined", "shared", "auto", "global", "other"};

    /**
     * What the arenas of one (kind, creation site) share: the owner label, the count of those
     * closed, and the row of their latest allocation site, so that making and closing an arena
     * builds no string.
     */
    static final class Site {
        final String kind;
        final String site;
        final String owner;
        final AtomicLong closed = new AtomicLong();
        // A one-entry cache of (allocation site -> row); racy but each pair is consistent.
        private volatile long lastSiteRow = -1;

        Site(String kind, String site) {
            this.kind = kind;
            this.site = site;
            this.owner = kind + " arena created at " + site;
        }

        int row(Rows rows, int allocationSite) {
            long cached = lastSiteRow;
            if (cached != -1 && (int) (cached >>> 32) == allocationSite) {
                return (int) cached;
            }
            int row = rows.row(Rows.ARENA, owner, Sites.name(allocationSite));
            lastSiteRow = ((long) allocationSite << 32) | (row & 0xFFFFFFFFL);
            return row;
        }
    }

    /**
     * One arena: a weak reference to its session (the program's reachability of the arena), and
     * the close action the agent adds to that session.
     */
    static final class Arena extends WeakReference<Object> implements Runnable {
        private static final VarHandle LIVE;

        static {
            try {
                LIVE = MethodHandles.lookup().findVarHandle(Arena.class, "liveBytes", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Site site;
        final int hash;
        private final Arenas arenas;
        @SuppressWarnings("unused") // through LIVE
        private volatile long liveBytes;
        volatile boolean closed;

        Arena(Object session, Site site, Arenas arenas) {
            super(session);
            this.site = site;
            this.hash = System.identityHashCode(session);
            this.arenas = arenas;
        }

        void add(long bytes) {
            LIVE.getAndAdd(this, bytes);
        }

        long liveBytes() {
            return liveBytes;
        }

        int row(Rows rows, int allocationSite) {
            return site.row(rows, allocationSite);
        }

        /** True while the program can still reach the arena (its session is not collected). */
        boolean reachable() {
            return !refersTo(null);
        }

        /** The session's close action: it runs after the session's own cleanups. */
        @Override
        public void run() {
            arenas.closed(this);
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
    /** Sites by [kind][site id], grown as ids come; published by the volatile write. */
    private volatile Site[][] sites = new Site[KINDS.length][64];

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

    /** Records a session as an arena, created at the site of id {@code site}, and watches for its close. */
    Arena register(Object session, int site) {
        int kind = kindOf(session);
        Arena a = new Arena(session, site(kind, site), this);
        OpenArenas s = stripe(a.hash);
        synchronized (s) {
            s.add(a);
        }
        if (ADD_CLOSE_ACTION != null && kind != GLOBAL) {
            try {
                ADD_CLOSE_ACTION.invokeExact(session, (Runnable) a);
            } catch (Throwable e) {
                // A session already closing or owned by another thread: it is listed as open.
            }
        }
        return a;
    }

    private Site site(int kind, int id) {
        Site[] byId = sites[kind];
        Site s = id < byId.length ? byId[id] : null;
        return s != null ? s : makeSite(kind, id);
    }

    private synchronized Site makeSite(int kind, int id) {
        Site[][] all = sites;
        Site[] byId = all[kind];
        if (id < byId.length && byId[id] != null) {
            return byId[id];
        }
        if (id >= byId.length) {
            all = all.clone();
            byId = all[kind] = Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        }
        Site s = new Site(KINDS[kind], Sites.name(id));
        byId[id] = s;
        sites = all;
        return s;
    }

    private void closed(Arena a) {
        a.closed = true;
        OpenArenas s = stripe(a.hash);
        synchronized (s) {
            s.remove(a);
        }
        a.site.closed.incrementAndGet();
    }

    /** Open arenas of one stripe: open addressing by identity hash, linear probing, tombstones. */
    private static final class OpenArenas {
        private static final Arena TOMBSTONE = new Arena(new Object(), new Site("other", ""), null);
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
                if (a != TOMBSTONE && a.hash == hash && a.refersTo(session)) {
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

    static final int CONFINED = 0;
    private static final int GLOBAL = 3;

    /** The index in {@link #KINDS} of a session's kind. */
    static int kindOf(Object session) {
        return switch (session.getClass().getName()) {
            case "jdk.internal.foreign.ConfinedSession" -> CONFINED;
            case "jdk.internal.foreign.SharedSession" -> 1;
            case "jdk.internal.foreign.ImplicitSession" -> 2;
            case "jdk.internal.foreign.GlobalSession" -> GLOBAL;
            default -> 4;
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

    /** The closed arenas, one entry per (kind, site), sorted by kind and site. */
    List<Closed> closed() {
        List<Closed> out = new ArrayList<>();
        for (Site[] byId : sites) {
            for (Site s : byId) {
                long n = s == null ? 0 : s.closed.get();
                if (n > 0) {
                    out.add(new Closed(s.kind, s.site, n));
                }
            }
        }
        out.sort(Comparator.comparing(Closed::kind).thenComparing(Closed::site));
        return out;
    }
}
