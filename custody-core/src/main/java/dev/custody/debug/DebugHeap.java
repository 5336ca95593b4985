package dev.custody.debug;

import dev.custody.Heap;
import dev.custody.LeakException;

import java.util.List;

/**
 * A heap that checks the memory itself: canaries around each block, poison and a quarantine for
 * freed blocks, and (for {@link DebugHeaps#guarded}) guard pages. Made by {@link DebugHeaps}; see
 * there for the contract.
 */
public sealed interface DebugHeap extends Heap permits dev.custody.internal.DebugHeapImpl {

    /**
     * Checks the poison and canaries of every block now in quarantine (they are otherwise checked
     * when they leave it), then throws if any corruption was found in this heap's life.
     *
     * @throws HeapCorruptionException for the first corruption found, the others suppressed
     */
    void verify();

    /**
     * Every corruption found so far, oldest first.
     *
     * @return the corruptions, a copy
     */
    List<Corruption> corruptions();

    /**
     * How many freed blocks the quarantine holds now.
     *
     * @return the count
     */
    int quarantinedBlocks();

    /**
     * How many live blocks sit on guard pages (0 for a poisoning heap).
     *
     * @return the count
     */
    long guardedBlocks();

    /**
     * Whether a guarded heap reached its mapping budget and now guards only one allocation in
     * {@link DebugOptions#sampleEvery()}. Always false for a poisoning heap.
     *
     * @return true once the budget was reached
     */
    boolean sampling();

    /**
     * The guarded heap's budget of mappings (0 for a poisoning heap).
     *
     * @return the budget
     */
    long mappingBudget();

    /**
     * Closes the heap as {@link Heap#close()} does, then empties the quarantine, checking each
     * block, and gives every held block back to the base heap.
     *
     * @throws LeakException if live blocks remain (the heap stays open, nothing is freed)
     * @throws HeapCorruptionException if any corruption was found in the heap's life, after the
     *     heap was closed and its quarantine emptied
     */
    @Override
    void close();
}
