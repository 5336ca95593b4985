package dev.custody.observe;

import dev.custody.Heap;

/**
 * Told of heaps as they are published and closed, for observers outside custody-core such as a
 * metrics binder. Registered with {@link dev.custody.Custody#addHeapListener}.
 *
 * <p>Called on the thread that makes or closes the heap, after the heap is in (or out of) {@link
 * dev.custody.Custody#heaps()}; a listener must be quick and must not make or close heaps itself.
 * What it throws is reported on standard error and does not stop the heap being made or closed.
 * Root native heaps never close; heaps that the garbage collector takes without a close are not
 * reported closed.
 */
public interface HeapListener {
    /**
     * A heap was made and published.
     *
     * @param heap the heap
     */
    default void opened(Heap heap) {
    }

    /**
     * A heap was closed cleanly: it is closed for good.
     *
     * @param heap the heap
     */
    default void closed(Heap heap) {
    }
}
