package dev.custody.agent.boot;

import java.lang.ref.WeakReference;

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
    /** The size that a free's caller knows (a direct buffer's Deallocator), 0 when unknown. */
    long freeSize;
    /** One-entry cache of the arena last allocated from: its session's weak reference, and the arena. */
    WeakReference<Object> lastSession;
    Arenas.Arena lastArena;
}
