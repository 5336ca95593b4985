package dev.custody;

/**
 * How an adopted block's memory goes back, when the heap's own free function cannot do it alone:
 * in the spirit of Arrow's {@code ForeignAllocation}, the adopter supplies the release. A plugin
 * whose free function takes the whole struct it returned, not just the data pointer, gives a
 * releaser that rebuilds the struct. See {@link Heap#adopt(java.lang.foreign.MemorySegment, long,
 * Tag, Releaser)}.
 *
 * <p>Custody calls it exactly once per block, from whichever thread frees the block (it must be
 * safe on any thread), after the block died and its segments were invalidated.
 */
@FunctionalInterface
public interface Releaser {
    /**
     * Gives the memory at {@code address} back.
     *
     * @param address the block's address
     * @throws Throwable if the memory could not be given back (a downcall handle may throw
     *     anything): custody then keeps the block live and counted, and throws {@link
     *     FreeFailedException} with this as its cause
     */
    void release(long address) throws Throwable;
}
