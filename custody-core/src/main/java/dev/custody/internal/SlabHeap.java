package dev.custody.internal;

import dev.custody.Heap;
import dev.custody.Tag;
import dev.custody.scoped.Slab;

/**
 * Fixed-size slots carved from slabs on a parent heap, with a free list (a stack of addresses, so
 * the slot freed last is reused first). Slots are 16-aligned. See {@link Slab}.
 */
public final class SlabHeap extends AbstractHeap implements Slab {
    /** The tag of slabs in the parent's books. */
    static final Tag SLABS = Tag.of("slabs");
    private static final long SLOT_ALIGN = 16;

    private final long blockSize;
    private final long stride;
    private final int perSlab;
    private final Chunks slabs;
    // Guarded by this.
    private long[] free = new long[64];
    private int freeCount;

    SlabHeap(String name, Heap parent, long blockSize, int blocksPerSlab) {
        if (blockSize <= 0 || blockSize > ABSURD) {
            throw new IllegalArgumentException("block size of slab '" + name + "' must be between 1 B and " + ABSURD
                    + " B: " + blockSize);
        }
        if (blocksPerSlab <= 0) {
            throw new IllegalArgumentException("blocks per slab of slab '" + name + "' must be positive: "
                    + blocksPerSlab);
        }
        this.blockSize = blockSize;
        long stride = RegionHeap.alignUp(blockSize, SLOT_ALIGN);
        this.stride = stride;
        if (stride > (ABSURD - Chunks.HEADER) / blocksPerSlab) {
            throw new IllegalArgumentException("slab '" + name + "' of " + blocksPerSlab + " blocks of " + blockSize
                    + " B is absurdly large");
        }
        this.perSlab = blocksPerSlab;
        this.slabs = new Chunks(parent, SLABS, name);
        super(name, null, Long.MAX_VALUE, true); // validated first: a refused slab never exists as a heap
    }

    /** The slots, as a memory source: a slot's address is custody's own (carved from a slab). */
    private final MemorySource slots = new MemorySource() {
        @Override
        public long allocate(long size, long alignment, Tag tag) {
            if (alignment > SLOT_ALIGN) {
                throw Errors.failed(name, tag, size, -1, "slab slots are aligned to " + SLOT_ALIGN + " B, not "
                        + alignment + " B");
            }
            synchronized (SlabHeap.this) {
                if (freeCount == 0) {
                    addSlab(tag, size);
                }
                return free[--freeCount];
            }
        }

        @Override
        public void release(long address, long size, int layout) {
            synchronized (SlabHeap.this) {
                if (freeCount == free.length) {
                    free = java.util.Arrays.copyOf(free, free.length * 2);
                }
                free[freeCount++] = address;
            }
        }

        @Override
        public int layout(long alignment) {
            return BlockImpl.CUSTODY_LAYOUT;
        }

        @Override
        public long maxSize() {
            return blockSize;
        }
    };

    @Override
    MemorySource source() {
        return slots;
    }

    /** Pushes a new slab's slots, the lowest address on top. */
    private void addSlab(Tag tag, long size) {
        long s = slabs.allocate(Chunks.HEADER + stride * perSlab, tag, size);
        if (free.length < perSlab) {
            free = new long[perSlab];
        }
        for (int i = perSlab - 1; i >= 0; i--) {
            free[freeCount++] = s + Chunks.HEADER + i * stride;
        }
    }

    @Override
    final void wrappedBy(DebugHeapImpl debug, boolean made) {
        keepWrapper(debug, made);
    }

    /** After the leak check; as for regions, live not-a-leak blocks keep the slabs. */
    @Override
    synchronized void onClose() {
        disposeWrappers();
        if (stats().total().liveBlocks() == 0) {
            slabs.freeAll();
            freeCount = 0;
        } else {
            slabs.keepForGood();
        }
        super.onClose();
    }

    @Override
    public Object ownerKey() {
        return this;
    }

    @Override
    long maxSize() {
        return blockSize;
    }

    @Override
    public long blockSize() {
        return blockSize;
    }

    @Override
    public synchronized int slabs() {
        return slabs.count();
    }

    @Override
    public long heldBytes() {
        return slabs.bytes();
    }

    @Override
    public String toString() {
        return "slab '" + name + "' (" + perSlab + " blocks of " + blockSize + " B per slab on '"
                + slabs.parent().name() + "')";
    }
}
