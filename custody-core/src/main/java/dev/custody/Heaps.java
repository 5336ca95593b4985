package dev.custody;

import dev.custody.internal.AbstractHeap;
import dev.custody.internal.NativeHeapImpl;
import dev.custody.internal.ScopedHeaps;
import dev.custody.nativeheap.NativeAllocator;
import dev.custody.nativeheap.NativeHeapBuilder;
import dev.custody.scoped.Region;
import dev.custody.scoped.Slab;

/**
 * Factories for heaps.
 *
 * <p>Heap identity is the free function: heaps that free through the same function are
 * {@linkplain Object#equals equal}, the same owner, and freeing a block through any of them is
 * correct (the books of the block's own heap follow). {@link #libc()} is one instance;
 * {@link #library(String, String, String, String)} with the same arguments returns the same
 * instance (its first name is kept); a library heap over libc's {@code free} equals libc.
 *
 * <p>Restricted methods: {@link Heap#adopt} and {@link Heap#free(java.lang.foreign.MemorySegment)}
 * take raw addresses. Like the JDK's restricted methods, they expect the caller's module to have
 * native access ({@code --enable-native-access}); without it they warn once per module, and under
 * {@code -Dcustody.illegalNativeAccess=deny} they throw {@link IllegalCallerException}.
 */
public final class Heaps {
    private Heaps() {
    }

    /**
     * The process's malloc and free, with aligned_alloc, realloc and malloc_usable_size.
     *
     * @return the one libc heap of the process
     */
    public static Heap libc() {
        return Libc.HEAP;
    }

    /**
     * A heap over a library's {@code void* malloc(size_t)} / {@code void free(void*)} pair.
     *
     * @param name the heap's name in messages
     * @param library a name for the dynamic linker, such as {@code "libmimalloc.so.2"}, or a path
     * @param mallocSymbol the allocate function's symbol, such as {@code "mi_malloc"}
     * @param freeSymbol the free function's symbol, such as {@code "mi_free"}: the heap's identity
     * @return the heap; the same instance for the same library and symbols
     * @throws IllegalArgumentException if the library or a symbol cannot be found
     */
    public static Heap library(String name, String library, String mallocSymbol, String freeSymbol) {
        return new NativeHeapBuilder(name, library).allocate(mallocSymbol).free(freeSymbol).build();
    }

    /**
     * A builder for allocators of other shapes: int sizes, hints, alignment, realloc.
     *
     * @param name the heap's name in messages
     * @param library a name for the dynamic linker, or a path
     * @return a builder; its {@code build()} makes the heap
     */
    public static NativeHeapBuilder library(String name, String library) {
        return new NativeHeapBuilder(name, library);
    }

    /**
     * A heap over any allocator, such as a plugin's own free function for the buffers it returns.
     * The same heap instance is returned for allocators with equal
     * {@link NativeAllocator#freeIdentity()}.
     *
     * @param name the heap's name in messages
     * @param allocator the allocator, whose free identity is the heap's
     * @return the heap, with all of custody's checks and books
     * @throws NullPointerException if {@code name} or {@code allocator} is null
     */
    public static Heap of(String name, NativeAllocator allocator) {
        return NativeHeapImpl.of(name, allocator);
    }

    /**
     * The capability to adopt into {@code heap} without the per-call check of {@link Heap#adopt}:
     * that check walks the stack to find the caller's module (about 1 µs), which a hot path such as
     * a plugin's response buffers cannot afford. The caller's module's native access is checked
     * once, here; whoever holds the adopter may adopt, so hand it only to code you trust, as you
     * would a {@code MethodHandles.Lookup}.
     *
     * @param heap the heap the adopter adopts into
     * @return the capability
     * @throws NullPointerException if {@code heap} is null
     * @throws IllegalCallerException if the caller's module has no native access and
     *     {@code -Dcustody.illegalNativeAccess=deny} is set
     */
    public static Adopter adopter(Heap heap) {
        AbstractHeap.requireNativeAccess("adopter");
        return AbstractHeap.of(heap).adopter();
    }

    /**
     * A region: blocks carved from chunks of {@code chunkSize} bytes allocated on {@code parent}
     * (tagged {@code region-chunks} in its books), all given back at once by {@link Region#release()}.
     * A block bigger than a chunk gets a chunk of its own. Confined to the calling thread.
     *
     * @param name the region's name in messages
     * @param parent the heap its chunks come from
     * @param chunkSize the size of each chunk, 64 B or more
     * @return the region, confined to the calling thread
     * @throws IllegalArgumentException if {@code chunkSize} is below 64 B
     */
    public static Region region(String name, Heap parent, long chunkSize) {
        return ScopedHeaps.region(name, parent, chunkSize);
    }

    /**
     * As {@link #region(String, Heap, long)}, named {@code "region-N"}, N a serial: no two unnamed
     * regions share a name.
     *
     * @param parent the heap its chunks come from
     * @param chunkSize the size of each chunk, 64 B or more
     * @return the region, confined to the calling thread
     * @throws IllegalArgumentException as {@link #region(String, Heap, long)}
     */
    public static Region region(Heap parent, long chunkSize) {
        return region(ScopedHeaps.serialName("region"), parent, chunkSize);
    }

    /**
     * A region that never moves: {@code reserveBytes} of address space reserved with
     * {@code mmap(PROT_NONE)} and committed with {@code mprotect} as it grows; its blocks are
     * contiguous. {@link Region#release()} drops every page and keeps the reservation; close unmaps it.
     * Confined to the calling thread.
     *
     * @param name the region's name in messages
     * @param reserveBytes the address space to reserve, the most the region can hold
     * @return the region, confined to the calling thread
     * @throws IllegalArgumentException if {@code reserveBytes} is not positive or absurd
     * @throws AllocationFailedException if the kernel refuses the reservation
     */
    public static Region flatRegion(String name, long reserveBytes) {
        return ScopedHeaps.flatRegion(name, reserveBytes);
    }

    /**
     * As {@link #flatRegion(String, long)}, named {@code "flat-region-N"}, N a serial.
     *
     * @param reserveBytes the address space to reserve, the most the region can hold
     * @return the region, confined to the calling thread
     * @throws IllegalArgumentException as {@link #flatRegion(String, long)}
     * @throws AllocationFailedException as {@link #flatRegion(String, long)}
     */
    public static Region flatRegion(long reserveBytes) {
        return flatRegion(ScopedHeaps.serialName("flat-region"), reserveBytes);
    }

    /**
     * A slab heap: blocks of at most {@code blockSize} bytes in slots of slabs of
     * {@code blocksPerSlab} slots allocated on {@code parent} (tagged {@code slabs} in its books), with
     * a free list. Safe from any thread.
     *
     * @param name the slab heap's name in messages
     * @param parent the heap its slabs come from
     * @param blockSize the most bytes a block may have
     * @param blocksPerSlab how many slots each slab holds
     * @return the slab heap
     * @throws IllegalArgumentException if a size is not positive or the slab absurdly large
     */
    public static Slab slab(String name, Heap parent, long blockSize, int blocksPerSlab) {
        return ScopedHeaps.slab(name, parent, blockSize, blocksPerSlab);
    }

    /**
     * As {@link #slab(String, Heap, long, int)}, named {@code "slab-N"}, N a serial.
     *
     * @param parent the heap its slabs come from
     * @param blockSize the most bytes a block may have
     * @param blocksPerSlab how many slots each slab holds
     * @return the slab heap
     * @throws IllegalArgumentException as {@link #slab(String, Heap, long, int)}
     */
    public static Slab slab(Heap parent, long blockSize, int blocksPerSlab) {
        return slab(ScopedHeaps.serialName("slab"), parent, blockSize, blocksPerSlab);
    }

    private static final class Libc {
        static final Heap HEAP = NativeHeapImpl.of("libc", dev.custody.nativeheap.internal.Libc.allocator());
    }
}
