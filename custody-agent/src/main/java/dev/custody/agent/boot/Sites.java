package dev.custody.agent.boot;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Allocation sites by id. A rewritten call site gets its id when its class is transformed, so
 * the call passes a constant; a site found by a stack walk is interned the same way. Id 0 means
 * "no site".
 *
 * <p>A site is one frame as {@code pkg.Class.method(File.java:line)}. Each rewritten site also
 * records what it calls ({@link #kind}) and, for {@code sun.misc.Unsafe}, the owner label of its
 * class (the class with its module or jar).
 */
public final class Sites {
    /** No particular entry point: a site found by a stack walk. */
    public static final int WALKED = 0;
    /** {@code ByteBuffer.allocateDirect}. */
    public static final int DIRECT = 1;
    /** An {@code allocate*} method of {@code Arena} or {@code SegmentAllocator}. */
    public static final int ARENA_ALLOCATE = 2;
    /** An {@code Arena} factory: the arena's creation site. */
    public static final int ARENA_CREATE = 3;
    /** {@code sun.misc.Unsafe.allocateMemory} or {@code reallocateMemory}. */
    public static final int UNSAFE = 4;

    private static final Object LOCK = new Object();
    private static final Map<String, Integer> IDS = new HashMap<>();
    /** The columns, indexed by id; replaced whole when they grow, published by the volatile write. */
    private record Columns(String[] names, String[] owners, byte[] kinds) {}
    private static volatile Columns columns = new Columns(new String[256], new String[256], new byte[256]);
    private static int count = 1;

    private Sites() {}

    /**
     * The id of a site, interned: the same (site, kind, owner) always gets the same id.
     *
     * @param site the site label ({@link SiteLabels#site})
     * @param kind what the site calls: {@link #WALKED}, {@link #DIRECT}, {@link #ARENA_ALLOCATE},
     *     {@link #ARENA_CREATE} or {@link #UNSAFE}
     * @param owner the owner label of the site's class for an {@link #UNSAFE} site, else null
     * @return the site's id, 1 or more (0 is "no site")
     */
    public static int intern(String site, int kind, String owner) {
        String key = kind + "\u0000" + owner + "\u0000" + site;
        synchronized (LOCK) {
            Integer id = IDS.get(key);
            if (id != null) {
                return id;
            }
            int n = count++;
            Columns c = columns;
            if (n >= c.names.length) {
                c = new Columns(Arrays.copyOf(c.names, n * 2), Arrays.copyOf(c.owners, n * 2),
                        Arrays.copyOf(c.kinds, n * 2));
            }
            c.names[n] = site;
            c.owners[n] = owner;
            c.kinds[n] = (byte) kind;
            columns = c;
            IDS.put(key, n);
            return n;
        }
    }

    static String name(int id) {
        return columns.names[id];
    }

    static String owner(int id) {
        return columns.owners[id];
    }

    static int kind(int id) {
        return columns.kinds[id];
    }

    /** True when {@code id} is a site of {@code kind}; any int is safe to ask about. */
    static boolean is(int id, int kind) {
        byte[] kinds = columns.kinds;
        return id > 0 && id < kinds.length && kinds[id] == kind;
    }

}
