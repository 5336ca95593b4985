package dev.custody.agent.boot;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The entry points that instrumented code calls. This class and its package sit on the bootstrap
 * class path, so that {@code java.base} can call them; they hold the agent's books.
 *
 * <p>Three kinds of caller:
 * <ul>
 *   <li>{@code jdk.internal.misc.Unsafe}: {@link #allocated}, {@link #freed} and the
 *       reallocation trio see every block of the JVM's malloc heap, whoever asked for it;</li>
 *   <li>JDK owner points announce who the next block is for: {@link #ownerDirect} (the direct
 *       buffer's constructor), {@link #ownerArena} (the FFM segment factory, with the session),
 *       {@link #ownerTemp} (the temporary buffer cache), {@link #sessionCreated}, and the mapped
 *       file pair {@link #mapped}/{@link #unmapped};</li>
 *   <li>rewritten call sites in the program's classes wrap each call to a JDK allocation entry
 *       point in {@link #enter}/{@link #exit}, passing a constant site id.</li>
 * </ul>
 *
 * <p>No hook ever throws into the JDK: a failure inside the agent is counted in
 * {@link #internalErrors()} and the program goes on as it would without the agent.
 */
public final class Hooks {
    static final int OWNER_NONE = 0;
    static final int OWNER_DIRECT = 1;
    static final int OWNER_ARENA = 2;
    static final int OWNER_TEMP = 3;

    static final String DIRECT_OWNER = "java.nio.DirectByteBuffer";
    static final String TEMP_OWNER = "sun.nio.ch.Util (temporary buffer cache)";
    static final String MAPPED_OWNER = "sun.nio.ch.FileChannelImpl (mapped file)";

    private static final ThreadLocal<Ctx> CTX = ThreadLocal.withInitial(Ctx::new);

    static final Rows ROWS = new Rows();
    static final BlockTable BLOCKS = new BlockTable(ROWS);
    static final Arenas ARENAS = new Arenas();
    static final Misuses MISUSE = new Misuses();
    static final Samples SAMPLES = new Samples();

    /** Frees of blocks the agent never saw allocated, after a dynamic attach: they may predate it. */
    static final AtomicLong BEFORE_ATTACH_FREES = new AtomicLong();
    static final AtomicLong BEFORE_ATTACH_BYTES = new AtomicLong();
    /** Frees by the JDK of blocks it allocated before the hooks were in (premain: JVM start-up). */
    static final AtomicLong BEFORE_AGENT_FREES = new AtomicLong();
    static final AtomicLong BEFORE_AGENT_BYTES = new AtomicLong();
    private static final AtomicLong INTERNAL_ERRORS = new AtomicLong();

    private static volatile long sampleBytes = 512 * 1024;
    /** Set once {@code jdk.internal.misc.Unsafe} takes sites out of sizes: only then may call sites put them in. */
    private static volatile boolean sitesInSizes;
    private static volatile boolean attached;

    private Hooks() {}

    /**
     * Sets the agent's mode before any hook is installed.
     *
     * @param sampleMeanBytes mean bytes between sampled stacks, 0 for none
     * @param dynamicAttach true when the agent was attached to a running JVM
     */
    public static void configure(long sampleMeanBytes, boolean dynamicAttach) {
        sampleBytes = sampleMeanBytes;
        BLOCKS.resample();
        attached = dynamicAttach;
    }

    /** Loads and initialises everything the hooks use, before any hook is in place. */
    public static void warmUp() {
        Ctx c = CTX.get();
        begin(c);
        try {
            Stacks.walk();
            Stacks.capture();
            Sites.intern("(warm-up)", Sites.WALKED, null);
            BLOCKS.insert(1, 0, Rows.AGENT, null, 0);
            BLOCKS.remove(1);
            BLOCKS.find(1);
            ARENAS.open();
            siteIn(withSite(1, 1));
            nextSampleInterval();
        } finally {
            end(c);
        }
    }

    private static volatile EventSink events;

    /**
     * Sets where sampled allocations and misuse go besides the books (JFR).
     *
     * @param sink the agent's JFR sink, or null for nowhere
     */
    public static void events(EventSink sink) {
        events = sink;
    }

    static void sampledEvent(int row, long bytes, long address) {
        EventSink sink = events;
        if (sink != null) {
            sink.sampled(Rows.KIND_NAMES[ROWS.kind(row)], ROWS.owner(row), ROWS.site(row), bytes, address);
        }
    }

    static void misuseEvent(Misuses.Misuse m) {
        EventSink sink = events;
        if (sink != null) {
            sink.misuse(m.kind(), m.site(), m.address(), m.allocationSite());
        }
    }

    /**
     * Package prefixes whose frames are passed over for a block's site (say, Netty's): set before
     * the hooks are in.
     *
     * @param prefixes package names such as {@code io.netty}; a frame of a class in one of them or
     *     below is not a site
     */
    public static void skipPackages(java.util.List<String> prefixes) {
        Stacks.skip(prefixes);
    }

    /**
     * Sets the mean bytes between sampled stacks, at any time (the agent's MXBean does).
     *
     * @param mean the mean bytes between samples, 0 for none
     */
    public static void setSampleBytes(long mean) {
        sampleBytes = mean;
        BLOCKS.resample();
    }

    /**
     * The mean bytes between sampled stacks.
     *
     * @return the mean set last, 0 for none
     */
    public static long sampleBytes() {
        return sampleBytes;
    }

    static boolean attached() {
        return attached;
    }


    /**
     * Failures inside the agent's hooks, each swallowed so that the program went on.
     *
     * @return the failures since the agent started
     */
    public static long internalErrors() {
        return INTERNAL_ERRORS.get();
    }

    /**
     * Marks the current thread as doing the agent's own work, whose allocations are never
     * reported, until the matching {@link #endAgentWork()}. Calls nest.
     */
    public static void beginAgentWork() {
        begin(CTX.get());
    }

    /** Ends the current thread's innermost {@link #beginAgentWork()}. */
    public static void endAgentWork() {
        end(CTX.get());
    }

    // ---- rewritten call sites ----

    /**
     * A rewritten call site is about to call a JDK allocation entry point.
     *
     * @param site the call site's id ({@link Sites#intern}), a constant in the rewritten code
     */
    public static void enter(int site) {
        CTX.get().site = site;
    }

    /** The call of the last {@link #enter} returned; a site it did not consume is dropped. */
    public static void exit() {
        CTX.get().site = 0;
    }

    // ---- JDK owner points ----

    /**
     * The direct buffer's constructor is about to allocate its memory.
     *
     * @param buffer the buffer under construction
     */
    public static void ownerDirect(Object buffer) {
        Ctx c = CTX.get();
        c.owner = OWNER_DIRECT;
        c.ownerRef = buffer;
    }

    /**
     * The FFM segment factory is about to allocate a segment of {@code session}.
     *
     * @param session the arena's memory session ({@code jdk.internal.foreign.MemorySessionImpl})
     */
    public static void ownerArena(Object session) {
        Ctx c = CTX.get();
        c.owner = OWNER_ARENA;
        c.ownerRef = session;
    }

    /** The JDK's temporary buffer cache is about to allocate. */
    public static void ownerTemp() {
        Ctx c = CTX.get();
        c.owner = OWNER_TEMP;
        c.ownerRef = null;
    }

    /**
     * A direct buffer's constructor made its Cleaner: the block this thread allocated for it last keeps it.
     *
     * @param cleaner the buffer's Cleaner, or null when it made none
     */
    public static void directCleaner(Object cleaner) {
        Ctx c = CTX.get();
        long address = c.lastDirect;
        c.lastDirect = 0;
        if (address != 0 && cleaner != null) {
            BLOCKS.setRef(address, cleaner);
        }
    }

    /** The owner point's allocation returned or threw: nothing is pending any more. */
    public static void ownerClear() {
        Ctx c = CTX.get();
        c.owner = OWNER_NONE;
        c.ownerRef = null;
    }

    /**
     * A direct buffer's Deallocator is about to free a block of {@code size} bytes; 0 after.
     *
     * @param size the block's size in bytes, or 0 once the free is done
     */
    public static void freeSize(long size) {
        CTX.get().freeSize = size;
    }

    /**
     * A session factory returned {@code session}. An arena created by a rewritten call is recorded
     * now, with its creation site; a confined one only when it first allocates, since only its own
     * thread can, and most confined arenas (custody's own blocks among them) never allocate: until
     * then its session and site wait in the thread's {@link Ctx#pendingSessions}.
     *
     * @param session the new arena's memory session
     */
    public static void sessionCreated(Object session) {
        Ctx c = CTX.get();
        int site = c.site;
        if (site == 0 || Sites.kind(site) != Sites.ARENA_CREATE || c.depth > 0) {
            return; // arenas the JDK makes for itself are recorded at their first allocation
        }
        c.site = 0;
        if (Arenas.kindOf(session) == Arenas.CONFINED) {
            c.pend(session, site);
            return;
        }
        begin(c);
        try {
            c.lastArena = ARENAS.register(session, site);
        } catch (Throwable t) {
            INTERNAL_ERRORS.incrementAndGet();
        } finally {
            end(c);
        }
    }

    /**
     * A file was mapped at {@code address}, {@code size} bytes.
     *
     * @param address the mapping's start
     * @param size the mapping's length in bytes
     */
    public static void mapped(long address, long size) {
        Ctx c = CTX.get();
        if (c.depth > 0) {
            return;
        }
        begin(c);
        try {
            BLOCKS.insert(address, size, ROWS.row(Rows.MAPPED, MAPPED_OWNER, walkedSiteName()), null, 0);
        } catch (Throwable t) {
            INTERNAL_ERRORS.incrementAndGet();
        } finally {
            end(c);
        }
    }

    /**
     * The mapping at {@code address} is about to be unmapped.
     *
     * @param address the mapping's start, as {@link #mapped} was given it
     */
    public static void unmapped(long address) {
        BLOCKS.remove(address);
    }

    // ---- sun.misc.Unsafe call sites: the site rides in the size ----

    // A rewritten sun.misc.Unsafe call passes its site inside the size argument, so that the hook
    // needs no per-thread state: bit 63 clear, bits 61-62 set, the site in bits 36-60, the size in
    // bits 0-35. Unsafe's own allocateMemory takes them apart before it does anything else. Such a
    // size is above 2^62 and would fail in malloc anyway, and a decoded one is used only when the
    // site is a known sun.misc.Unsafe site.
    private static final long MARK = 0x6000_0000_0000_0000L;
    private static final long MARK_MASK = 0xE000_0000_0000_0000L;
    private static final int SIZE_BITS = 36;
    private static final long SIZE_MASK = (1L << SIZE_BITS) - 1;
    private static final long SITE_LIMIT = 1L << 25;

    /** Called by the installer once Unsafe's own hooks are in. */
    public static void sitesInSizes() {
        sitesInSizes = true;
    }

    /**
     * Whether call sites may pass their site inside the size.
     *
     * @return true once {@link #sitesInSizes()} was called
     */
    public static boolean takesSitesInSizes() {
        return sitesInSizes;
    }

    /**
     * The size to pass to {@code sun.misc.Unsafe} from a rewritten call at {@code site}: the size,
     * with the site in it when both fit.
     *
     * @param bytes the size the program asked for
     * @param site the call site's id
     * @return {@code bytes} with the site in its high bits, or {@code bytes} unchanged when it is
     *     negative, above 2<sup>36</sup> - 1, or the site's id does not fit in 25 bits
     */
    public static long withSite(long bytes, int site) {
        return bytes >= 0 && bytes <= SIZE_MASK && site < SITE_LIMIT ? MARK | ((long) site << SIZE_BITS) | bytes : bytes;
    }

    /**
     * The site inside a size from {@link #withSite}.
     *
     * @param bytes a size passed to {@code allocateMemory} or {@code reallocateMemory}
     * @return the site's id, or 0 when the size carries none, or carries an id that is not a
     *     known {@code sun.misc.Unsafe} site
     */
    public static long siteIn(long bytes) {
        if ((bytes & MARK_MASK) != MARK) {
            return 0;
        }
        int site = (int) ((bytes & ~MARK_MASK) >>> SIZE_BITS);
        return Sites.is(site, Sites.UNSAFE) ? site : 0;
    }

    /**
     * The size itself, from a size that {@link #siteIn} found a site in.
     *
     * @param bytes the size as passed
     * @param site what {@link #siteIn} found in it
     * @return {@code bytes} unchanged when {@code site} is 0, else the size without the site
     */
    public static long sizeIn(long bytes, long site) {
        return site == 0 ? bytes : bytes & SIZE_MASK;
    }

    // ---- enforce mode: a free through sun.misc.Unsafe, from outside the JDK ----

    private static volatile boolean enforce;
    /** How far below an unknown address enforce mode looks for a live block it may lie inside. */
    static final long INTERIOR_REACH = 64 * 1024;

    private static volatile java.util.function.LongFunction<String> custodyHeaps;

    /**
     * Called by custody-core, when the program has it: which of its heaps holds an address (null
     * for none), so that enforce mode refuses a free of a custody block through Unsafe.
     *
     * @param heapOf from an address to the name of the custody heap that holds it, or null
     */
    public static void custodyHeaps(java.util.function.LongFunction<String> heapOf) {
        custodyHeaps = heapOf;
    }

    /**
     * Turns enforce mode on or off: set before the hooks are in, with the call sites it rewrites.
     *
     * @param on true to refuse the frees {@link #checkFree} refuses
     */
    public static void enforce(boolean on) {
        enforce = on;
    }

    /**
     * Whether enforce mode is on.
     *
     * @return what {@link #enforce} set last
     */
    public static boolean enforcing() {
        return enforce;
    }

    /**
     * A rewritten {@code sun.misc.Unsafe.freeMemory(address)} call from outside the JDK is about to
     * free: refuses, before the allocator sees it, an address inside a live block, and (when the
     * agent has run since the JVM started) one the JVM's allocator never handed out, and one a custody
     * heap holds (custody-core tells the agent, when the program uses it). A double free
     * is not refused here: it is reported, as every misuse is.
     *
     * @param address the address the program is freeing
     * @throws WrongHeapException naming the address, the block it lies in or why it is not the JVM's
     */
    public static void checkFree(long address) {
        if (address == 0 || BLOCKS.find(address) >= 0 || BLOCKS.recentlyFreed(address)) {
            return; // live, or a double free: reported by the free itself, not refused
        }
        String why = null;
        java.util.function.LongFunction<String> custody = custodyHeaps;
        String heap = custody == null ? null : custody.apply(address);
        if (heap != null) {
            why = "0x" + Long.toHexString(address) + " is in a block of custody's heap '" + heap + "', which must free it";
        }
        for (long below = address - 8; why == null && below > 0 && address - below <= INTERIOR_REACH; below -= 8) {
            long block = BLOCKS.find(below);
            if (block >= 0) {
                long size = block >>> 12;
                if (address < below + size) {
                    why = "0x" + Long.toHexString(address) + " lies " + (address - below) + " B inside a live block of "
                            + size + " B at 0x" + Long.toHexString(below) + ", allocated at " + ROWS.site((int) (block & 0xFFF));
                }
                break;
            }
        }
        if (why == null && !attached) {
            why = "0x" + Long.toHexString(address) + " was never allocated by the JVM's allocator (the agent has watched it"
                    + " since the JVM started): it belongs to another allocator, which must free it";
        }
        if (why == null) {
            return; // after an attach, it may be a block from before: let it through
        }
        Ctx c = CTX.get();
        begin(c);
        String site;
        try {
            site = Stacks.walk().site();
            MISUSE.add(new Misuses.Misuse("wrong-heap", site, address, null, Thread.currentThread().getName()));
        } finally {
            end(c);
        }
        throw new WrongHeapException(address, "custody-agent refused a free through sun.misc.Unsafe at " + site + ": " + why);
    }

    // ---- jdk.internal.misc.Unsafe ----

    /** Threads in the agent's own work: while there are none, the fast paths need no per-thread state. */
    private static final AtomicInteger AGENT_WORKERS = new AtomicInteger();

    /**
     * {@code allocateMemory(bytes)} is returning {@code address}; {@code site} came inside the size
     * from a rewritten {@code sun.misc.Unsafe} call, or is 0.
     *
     * @param address the new block's address
     * @param bytes the block's size in bytes
     * @param site the site's id, or 0
     */
    public static void allocated(long address, long bytes, long site) {
        if (site != 0 && AGENT_WORKERS.get() == 0) {
            if (address != 0) {
                int row = ROWS.rowBySite(Rows.UNSAFE, (int) site, null);
                if (BLOCKS.insert(address, bytes, row, null, sampleBytes)) {
                    sample(address, bytes, row);
                }
            }
            return;
        }
        Ctx c = CTX.get();
        int pending = site != 0 ? (int) site : c.site;
        int owner = c.owner;
        Object ref = c.ownerRef;
        c.site = 0;
        c.owner = OWNER_NONE;
        c.ownerRef = null;
        if (address == 0) {
            return;
        }
        if (c.depth > 0) {
            BLOCKS.insert(address, bytes, Rows.AGENT, null, 0);
            return;
        }
        begin(c);
        try {
            book(c, address, bytes, pending, owner, ref);
        } catch (Throwable t) {
            INTERNAL_ERRORS.incrementAndGet();
        } finally {
            end(c);
        }
    }

    private static void begin(Ctx c) {
        c.depth++;
        AGENT_WORKERS.incrementAndGet();
    }

    private static void end(Ctx c) {
        AGENT_WORKERS.decrementAndGet();
        c.depth--;
    }

    private static void book(Ctx c, long address, long bytes, int site, int owner, Object ref) {
        int row;
        Object keep = null;
        switch (owner) {
            case OWNER_DIRECT -> {
                row = ROWS.rowBySite(Rows.DIRECT, siteOf(site, Sites.DIRECT), DIRECT_OWNER);
                c.lastDirect = address; // its Cleaner comes once the constructor has made it
            }
            case OWNER_ARENA -> {
                Arenas.Arena a = arenaOf(c, ref);
                row = a.row(ROWS, siteOf(site, Sites.ARENA_ALLOCATE));
                a.add(bytes);
                keep = a;
            }
            case OWNER_TEMP -> row = ROWS.rowBySite(Rows.JDK, siteOf(0, Sites.WALKED), TEMP_OWNER);
            default -> {
                if (site != 0 && Sites.kind(site) == Sites.UNSAFE) {
                    row = ROWS.rowBySite(Rows.UNSAFE, site, null);
                } else {
                    Stacks.Walk w = Stacks.walk();
                    row = w.viaSunMiscUnsafe() && w.userOwner() != null
                            ? ROWS.row(Rows.UNSAFE, w.userOwner(), w.site())
                            : ROWS.row(Rows.JDK, w.caller(), w.site());
                }
            }
        }
        if (BLOCKS.insert(address, bytes, row, keep, sampleBytes)) {
            SAMPLES.add(new Samples.Sample(address, bytes, row, Stacks.capture()));
            sampledEvent(row, bytes, address);
        }
    }

    private static void sample(long address, long bytes, int row) {
        Ctx c = CTX.get();
        begin(c);
        try {
            SAMPLES.add(new Samples.Sample(address, bytes, row, Stacks.capture()));
            sampledEvent(row, bytes, address);
        } catch (Throwable t) {
            INTERNAL_ERRORS.incrementAndGet();
        } finally {
            end(c);
        }
    }

    /** The site of a rewritten call when it is of the expected kind, else the first frame outside the JDK. */
    private static int siteOf(int site, int kind) {
        if (site != 0 && Sites.kind(site) == kind) {
            return site;
        }
        return Sites.intern(Stacks.walk().site(), Sites.WALKED, null);
    }

    private static String walkedSiteName() {
        return Stacks.walk().site();
    }

    private static Arenas.Arena arenaOf(Ctx c, Object session) {
        Arenas.Arena last = c.lastArena;
        if (last != null && last.refersTo(session) && !last.closed) {
            return last;
        }
        int created = c.unpend(session);
        Arenas.Arena a = created != 0 ? null : ARENAS.find(session);
        if (a == null) { // a confined arena's first allocation, or an arena the JDK made for itself
            a = ARENAS.register(session, created != 0 ? created : Sites.intern(walkedSiteName(), Sites.WALKED, null));
        }
        c.lastArena = a;
        return a;
    }

    /**
     * {@code freeMemory(address)} is about to free.
     *
     * @param address the address being freed; 0 is ignored
     */
    public static void freed(long address) {
        if (address == 0) {
            return;
        }
        int found = BLOCKS.remove(address);
        if (found >= 0) {
            return;
        }
        Ctx c = CTX.get();
        if (c.reallocating == address || c.depth > 0) {
            return; // reallocateMemory(address, 0), booked by the reallocation; or the agent's own
        }
        begin(c);
        try {
            missed(address, found == BlockTable.UNKNOWN ? -1 : BlockTable.freedRow(found), c.freeSize);
        } catch (Throwable t) {
            INTERNAL_ERRORS.incrementAndGet();
        } finally {
            end(c);
        }
    }

    /** A free or reallocation of an address that is not live: a double free, an unknown one, or one from before. */
    private static void missed(long address, int freedRow, long knownSize) {
        Stacks.Walk w = Stacks.walk();
        String thread = Thread.currentThread().getName();
        if (freedRow >= 0) {
            String allocationSite = freedRow == Rows.AGENT ? null : ROWS.site(freedRow);
            MISUSE.add(new Misuses.Misuse("double-free", w.site(), address, allocationSite, thread));
        } else if (attached) {
            BEFORE_ATTACH_FREES.incrementAndGet();
            BEFORE_ATTACH_BYTES.addAndGet(knownSize);
        } else if (w.callerInJdk()) {
            BEFORE_AGENT_FREES.incrementAndGet(); // the JDK frees only what it allocated
            BEFORE_AGENT_BYTES.addAndGet(knownSize);
        } else {
            MISUSE.add(new Misuses.Misuse("unknown-free", w.site(), address, null, thread));
        }
    }

    /**
     * {@code reallocateMemory(address, …)} begins.
     *
     * @param address the block being reallocated; 0 for a plain allocation
     * @return what the old block was (its size and row), for {@link #reallocEnd} or
     *     {@link #reallocFailed}; -1 when the agent knew no block there
     */
    public static long reallocBegin(long address) {
        if (address == 0) {
            return -1;
        }
        Ctx c = CTX.get();
        c.reallocating = address;
        long old = BLOCKS.find(address);
        int found = BLOCKS.remove(address);
        if (found >= 0) {
            return old;
        }
        if (c.depth == 0) {
            begin(c);
            try {
                missed(address, found == BlockTable.UNKNOWN ? -1 : BlockTable.freedRow(found), 0);
            } catch (Throwable t) {
                INTERNAL_ERRORS.incrementAndGet();
            } finally {
                end(c);
            }
        }
        return -1;
    }

    /**
     * {@code reallocateMemory} returns {@code address} of {@code bytes}; {@code old} is what
     * {@link #reallocBegin} gave, {@code site} what came inside the size, or 0.
     *
     * @param address the new block's address; 0 when the reallocation freed the block
     * @param bytes the new size in bytes
     * @param old what {@link #reallocBegin} returned
     * @param site the site's id, or 0
     */
    public static void reallocEnd(long address, long bytes, long old, long site) {
        Ctx c = CTX.get();
        c.reallocating = 0;
        if (address == 0) {
            c.site = 0;
            return; // a reallocation to 0 bytes freed the block
        }
        if (old < 0) {
            allocated(address, bytes, site);
            return;
        }
        c.site = 0;
        BLOCKS.insert(address, bytes, (int) (old & 0xFFF), null, 0);
    }

    /**
     * {@code reallocateMemory} threw: the old block is still live.
     *
     * @param address the old block's address, as {@link #reallocBegin} was given it
     * @param old what {@link #reallocBegin} returned
     */
    public static void reallocFailed(long address, long old) {
        Ctx c = CTX.get();
        c.reallocating = 0;
        c.site = 0;
        if (old >= 0) {
            int row = (int) (old & 0xFFF);
            BLOCKS.insert(address, old >>> 12, row, null, 0);
            ROWS.undoReallocation(row);
        }
    }

    /** Bytes to the next sample: exponential with the configured mean, so samples fall by bytes, not by calls. */
    static long nextSampleInterval() {
        long mean = sampleBytes;
        if (mean <= 0) {
            return Long.MAX_VALUE;
        }
        double u = ThreadLocalRandom.current().nextDouble();
        return 1 + (long) (-Math.log(1 - u) * mean);
    }
}
