package dev.custody.agent.boot;

/**
 * What one thread is doing, as the hooks see it: the site and owner that a rewritten call or a
 * JDK owner point has just announced, which the next Unsafe hook on the thread consumes.
 */
final class Ctx {
    /** The site of the rewritten call under way, 0 for none; consumed by the allocation it makes. */
    int site;
    /** One of {@link Hooks}' OWNER_* constants, announced by a JDK owner point; consumed likewise. */
    int owner;
    /** The direct buffer or the session that {@link #owner} refers to. */
    Object ownerRef;
    /** Above 0 inside the agent: allocations then go to the agent's own row, never reported. */
    int depth;
    /** The address under {@code reallocateMemory}: its internal free is part of the reallocation. */
    long reallocating;
    /** The block of the direct buffer under construction on this thread, whose Cleaner is to come; 0 for none. */
    long lastDirect;
    /** The size that a free's caller knows (a direct buffer's Deallocator), 0 when unknown. */
    long freeSize;
    /** One-entry cache of the arena last made or allocated from on this thread (a weak reference to its session). */
    Arenas.Arena lastArena;
    /**
     * Confined arenas made on this thread by a rewritten call and not yet allocated from, with
     * their creation sites: the last {@value #PENDING}. Held strongly: a confined session has no
     * Cleaner, so holding it changes nothing for the program.
     */
    final Object[] pendingSessions = new Object[PENDING];
    final int[] pendingSites = new int[PENDING];
    private int nextPending;
    static final int PENDING = 4;

    void pend(Object session, int site) {
        int i = nextPending;
        pendingSessions[i] = session;
        pendingSites[i] = site;
        nextPending = (i + 1) % PENDING;
    }

    /** The creation site of a pending session, which stops pending; 0 when it is not pending. */
    int unpend(Object session) {
        for (int i = 0; i < PENDING; i++) {
            if (pendingSessions[i] == session) {
                pendingSessions[i] = null;
                return pendingSites[i];
            }
        }
        return 0;
    }
}
