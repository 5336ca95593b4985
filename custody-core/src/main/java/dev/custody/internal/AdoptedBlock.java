package dev.custody.internal;

import dev.custody.Releaser;
import dev.custody.Tag;

/** A block adopted with a {@link Releaser}: its memory goes back through the releaser, not the heap. */
final class AdoptedBlock extends BlockImpl {
    final Releaser releaser;

    AdoptedBlock(AbstractHeap heap, long address, long size, Tag tag, Releaser releaser) {
        super(heap, address, address, size, tag, ADOPTED | RELEASER, false);
        this.releaser = releaser;
    }
}
