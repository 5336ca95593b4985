package dev.custody.internal;

import dev.custody.Tag;
import dev.custody.nativeheap.NativeAllocator;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentHashMap;

/** A root heap over a {@link NativeAllocator}: libc, a named library, a plugin's allocator. */
public final class NativeHeapImpl extends AbstractHeap {
    private static final ConcurrentHashMap<Object, NativeHeapImpl> BY_OWNER = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Object, NativeHeapImpl> BY_CONFIG = new ConcurrentHashMap<>();

    private final NativeAllocator allocator;
    private final Object ownerKey;
    private final long natural;

    private NativeHeapImpl(String name, NativeAllocator allocator) {
        super(name, null, Long.MAX_VALUE, false);
        this.allocator = allocator;
        this.ownerKey = allocator.freeIdentity();
        this.natural = allocator.naturalAlignment();
    }

    /**
     * The heap of this allocator's free function: the same instance for every allocator whose
     * {@link NativeAllocator#freeIdentity()} is equal (heap identity is the free function).
     */
    public static NativeHeapImpl of(String name, NativeAllocator allocator) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(allocator, "allocator");
        return BY_OWNER.computeIfAbsent(allocator.freeIdentity(), k -> create(name, allocator));
    }

    /** A heap of its own, not interned: held only by whoever holds it (and weakly by the directory). */
    public static NativeHeapImpl create(String name, NativeAllocator allocator) {
        NativeHeapImpl h = new NativeHeapImpl(name, allocator);
        return publish(h);
    }

    /**
     * The heap made by {@code factory} for this exact configuration, made once: a library heap
     * described twice the same way is one heap with one set of books. Heaps of different
     * configurations over the same free function are distinct but {@linkplain #equals equal}.
     */
    public static NativeHeapImpl intern(Object configuration, String name,
                                        java.util.function.Supplier<NativeAllocator> factory) {
        return BY_CONFIG.computeIfAbsent(configuration, k -> create(name, factory.get()));
    }

    /** Root heaps are equal when they free through the same function: the same owner. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NativeHeapImpl n && n.ownerKey.equals(ownerKey);
    }

    @Override
    public int hashCode() {
        return ownerKey.hashCode();
    }

    @Override
    BlockImpl newBlock(AbstractHeap home, long size, long alignment, Tag tag, boolean zeroed, boolean shared) {
        long n = Math.max(size, 1);
        long addr;
        long base;
        int flags = 0;
        if (alignment <= natural) {
            addr = base = allocator.allocate(n, tag);
        } else if (allocator.canAllocateAligned()) {
            long rounded = (n + alignment - 1) & -alignment; // C11 aligned_alloc wants a multiple
            addr = base = allocator.allocateAligned(rounded, alignment, tag);
        } else {
            if (n > maxSize() - alignment) {
                return null;
            }
            base = allocator.allocate(n + alignment - 1, tag);
            addr = (base + alignment - 1) & -alignment;
            flags = BlockImpl.CUSTODY_LAYOUT;
        }
        if (base == 0) {
            return null;
        }
        if (zeroed) {
            MemorySegment.ofAddress(addr).reinterpret(size).fill((byte) 0);
        }
        return shared ? new SharedCore(home, addr, base, size, tag, flags)
                : new BlockImpl(home, addr, base, size, tag, flags, false);
    }

    @Override
    void release(BlockImpl b) {
        allocator.free(b.base, b.size);
    }

    @Override
    boolean canReallocateNatively() {
        return allocator.canReallocate();
    }

    @Override
    long nativeReallocate(BlockImpl b, long newSize) {
        return allocator.reallocate(b.base, b.size, Math.max(newSize, 1));
    }

    @Override
    public Object ownerKey() {
        return ownerKey;
    }

    @Override
    long maxSize() {
        return allocator.maxSize();
    }

    /** The allocator's usable size of a block, or -1. */
    public long usableSize(long address) {
        return allocator.usableSize(address);
    }
}
