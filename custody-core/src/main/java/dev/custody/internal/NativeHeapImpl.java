package dev.custody.internal;

import dev.custody.Tag;
import dev.custody.nativeheap.NativeAllocator;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ConcurrentHashMap;

/** A root heap over a {@link NativeAllocator}: libc, a named library, a plugin's allocator. */
public final class NativeHeapImpl extends AbstractHeap {
    private static final ConcurrentHashMap<Object, NativeHeapImpl> BY_OWNER = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Object, NativeHeapImpl> BY_CONFIG = new ConcurrentHashMap<>();

    private final NativeAllocator allocator;
    private final Object ownerKey;
    private final Source source;

    private NativeHeapImpl(String name, NativeAllocator allocator) {
        super(name, null, Long.MAX_VALUE, false);
        this.allocator = allocator;
        this.ownerKey = allocator.freeIdentity();
        this.source = new Source(allocator, allocator.naturalAlignment());
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
    MemorySource source() {
        return source;
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

    /**
     * A {@link NativeAllocator} as a memory source. An alignment beyond the allocator's natural one,
     * without an aligned allocate, is over-allocated by hand: the address the allocator returned is
     * kept in the 8 bytes just below the aligned address, where its release finds it.
     */
    private record Source(NativeAllocator allocator, long natural) implements MemorySource {
        @Override
        public long allocate(long size, long alignment, Tag tag) {
            long n = Math.max(size, 1);
            if (alignment <= natural) {
                return allocator.allocate(n, tag);
            }
            if (allocator.canAllocateAligned()) {
                long rounded = (n + alignment - 1) & -alignment; // C11 aligned_alloc wants a multiple
                return allocator.allocateAligned(rounded, alignment, tag);
            }
            if (n > allocator.maxSize() - alignment) {
                return 0;
            }
            long base = allocator.allocate(n + alignment, tag); // base + 8 <= address <= base + alignment
            if (base == 0) {
                return 0;
            }
            long address = (base + 8 + alignment - 1) & -alignment;
            MemorySegment.ofAddress(address - 8).reinterpret(8).set(ValueLayout.JAVA_LONG_UNALIGNED, 0, base);
            return address;
        }

        @Override
        public void release(long address, long size, int layout) {
            long base = layout == 0 ? address
                    : MemorySegment.ofAddress(address - 8).reinterpret(8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            allocator.free(base, size);
        }

        @Override
        public int layout(long alignment) {
            return alignment <= natural || allocator.canAllocateAligned() ? 0 : BlockImpl.CUSTODY_LAYOUT;
        }

        @Override
        public long maxSize() {
            return allocator.maxSize();
        }

        @Override
        public boolean canReallocate() {
            return allocator.canReallocate();
        }

        @Override
        public long reallocate(long address, long size, long newSize) {
            return allocator.reallocate(address, size, Math.max(newSize, 1));
        }
    }
}
