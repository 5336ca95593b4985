package dev.custody.nativeheap;

import dev.custody.Heap;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.internal.NativeHeapImpl;
import dev.custody.nativeheap.internal.Downcalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToIntFunction;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Describes a library's allocator when it is not a plain {@code void* malloc(size_t)} /
 * {@code void free(void*)} pair.
 *
 * <pre>{@code
 * Heap sqlite = Heaps.library("sqlite", "libsqlite3.so.0")
 *         .allocate("sqlite3_malloc", SizeType.INT)      // void* sqlite3_malloc(int)
 *         .reallocate("sqlite3_realloc")                 // void* sqlite3_realloc(void*, int)
 *         .usableSize("sqlite3_msize")
 *         .free("sqlite3_free")
 *         .build();
 *
 * Heap game = Heaps.library("game", gameLib)
 *         .allocate("game_malloc")                       // void* game_malloc(size_t, int memId)
 *         .hint(Map.of(paths, 29), 0)                    // the tag is passed as the memory id
 *         .free("game_free")
 *         .build();
 * }</pre>
 *
 * <p>The library is loaded once and never unloaded. Heap identity is the free function: every heap
 * built over the same free symbol is {@linkplain Object#equals equal} (the same owner), so freeing
 * a block through any of them is correct. A configuration built twice (without a hint, or with
 * the same hint table) is the same heap instance, with one set of books; with a hint function,
 * every build is a heap of its own, which custody does not keep alive.
 */
public final class NativeHeapBuilder {
    private final String name;
    private final String library;
    private String allocateSymbol;
    private SizeType sizeType = SizeType.SIZE_T;
    private ToIntFunction<Tag> hint;
    /** The value of a table hint, so that equal tables intern as one configuration; null otherwise. */
    private Object hintTable;
    private String alignedSymbol;
    private String freeSymbol;
    private String reallocSymbol;
    private String usableSymbol;
    private boolean critical;
    private Tracking tracking = Tracking.OFF;
    private int sampleEvery = 1;

    /**
     * A builder for the heap over {@code library}'s allocator.
     *
     * @param name the heap's name in messages
     * @param library a library name for the dynamic linker ({@code "libmimalloc.so.2"}) or a path
     */
    public NativeHeapBuilder(String name, String library) {
        this.name = Objects.requireNonNull(name, "name");
        this.library = Objects.requireNonNull(library, "library");
    }

    /**
     * The allocate function: {@code void* f(size_t)}.
     *
     * @param symbol the function's symbol
     * @return this builder
     */
    public NativeHeapBuilder allocate(String symbol) {
        return allocate(symbol, SizeType.SIZE_T);
    }

    /**
     * The allocate function with the given size type, as {@code void* sqlite3_malloc(int)}.
     *
     * @param symbol the function's symbol
     * @param sizeType the C type of its size argument
     * @return this builder
     */
    public NativeHeapBuilder allocate(String symbol, SizeType sizeType) {
        this.allocateSymbol = Objects.requireNonNull(symbol, "symbol");
        this.sizeType = Objects.requireNonNull(sizeType, "sizeType");
        return this;
    }

    /**
     * The allocate function takes a second {@code int} argument, a hint computed from the block's
     * tag, as {@code CMemoryMgr::Malloc(size, memId)}.
     *
     * @param tagToHint the hint of each tag
     * @return this builder
     */
    public NativeHeapBuilder hint(ToIntFunction<Tag> tagToHint) {
        this.hint = Objects.requireNonNull(tagToHint, "tagToHint");
        this.hintTable = null;
        return this;
    }

    /**
     * As {@link #hint(ToIntFunction)}, from a table of memory ids, with a default for other tags.
     * Unlike a function, a table is compared by value: building the same table twice gives the
     * same heap.
     *
     * @param memoryIds the hint of each tag named
     * @param otherwise the hint of every other tag
     * @return this builder
     */
    public NativeHeapBuilder hint(Map<Tag, Integer> memoryIds, int otherwise) {
        Map<Tag, Integer> ids = Map.copyOf(memoryIds);
        hint(t -> ids.getOrDefault(t, otherwise));
        this.hintTable = java.util.List.of(ids, otherwise);
        return this;
    }

    /**
     * An aligned allocate function: {@code void* f(size_t alignment, size_t size)}.
     *
     * @param symbol the function's symbol
     * @return this builder
     */
    public NativeHeapBuilder alignedAllocate(String symbol) {
        this.alignedSymbol = Objects.requireNonNull(symbol, "symbol");
        return this;
    }

    /**
     * The free function: {@code void f(void*)}. Required; it is the heap's identity.
     *
     * @param symbol the function's symbol
     * @return this builder
     */
    public NativeHeapBuilder free(String symbol) {
        this.freeSymbol = Objects.requireNonNull(symbol, "symbol");
        return this;
    }

    /**
     * A realloc function: {@code void* f(void*, size)}, with the allocate function's size type.
     *
     * @param symbol the function's symbol
     * @return this builder
     */
    public NativeHeapBuilder reallocate(String symbol) {
        this.reallocSymbol = Objects.requireNonNull(symbol, "symbol");
        return this;
    }

    /**
     * A usable-size function: {@code size_t f(void*)}.
     *
     * @param symbol the function's symbol
     * @return this builder
     */
    public NativeHeapBuilder usableSize(String symbol) {
        this.usableSymbol = Objects.requireNonNull(symbol, "symbol");
        return this;
    }

    /**
     * Calls the functions as critical ({@link java.lang.foreign.Linker.Option#critical}), which
     * is faster; only for functions that never block for long and never call back into Java. A
     * free or realloc of 128 KiB or more is still an ordinary call: such a free is usually an
     * {@code munmap}, which would hold up safepoints.
     *
     * @param critical whether to call them as critical
     * @return this builder
     */
    public NativeHeapBuilder critical(boolean critical) {
        this.critical = critical;
        return this;
    }

    /**
     * The heap's initial tracking level.
     *
     * @param level the level
     * @param sampleEvery for {@link Tracking#SAMPLED}, the mean bytes between samples (see {@link
     *     dev.custody.Heap#setTracking(Tracking, int)})
     * @return this builder
     */
    public NativeHeapBuilder tracking(Tracking level, int sampleEvery) {
        this.tracking = Objects.requireNonNull(level, "level");
        this.sampleEvery = sampleEvery;
        return this;
    }

    /**
     * Loads the library and returns the heap.
     *
     * @return the heap; the same instance for the same library and functions (a hint function, which
     *     cannot be compared, gives a heap of its own)
     * @throws IllegalArgumentException if the library cannot be loaded, a symbol is missing, or
     *     no free function was named
     */
    public Heap build() {
        if (freeSymbol == null) {
            throw new IllegalArgumentException("heap '" + name + "': a free function is required");
        }
        // A hint function cannot be compared, so its heap is not interned: it is a heap of its own,
        // held by whoever holds it (interning it under a fresh key kept every build alive for good).
        NativeHeapImpl heap = hint != null && hintTable == null ? NativeHeapImpl.create(name, allocator())
                : NativeHeapImpl.intern(java.util.Arrays.asList(library, allocateSymbol, sizeType, alignedSymbol,
                        freeSymbol, reallocSymbol, usableSymbol, critical, hintTable), name, this::allocator);
        if (tracking != Tracking.OFF) {
            heap.setTracking(tracking, sampleEvery);
        }
        return heap;
    }

    private NativeAllocator allocator() {
        SymbolLookup lookup = load(library);
        MemoryLayout size = sizeType == SizeType.INT ? JAVA_INT : JAVA_LONG;
        MethodHandle alloc = null;
        if (allocateSymbol != null) {
            FunctionDescriptor fd = hint == null ? FunctionDescriptor.of(JAVA_LONG, size)
                    : FunctionDescriptor.of(JAVA_LONG, size, JAVA_INT);
            alloc = Downcalls.handle(Downcalls.symbol(lookup, library, allocateSymbol), fd, critical);
        }
        MemorySegment freeSym = Downcalls.symbol(lookup, library, freeSymbol);
        MethodHandle free = Downcalls.handle(freeSym, FunctionDescriptor.ofVoid(JAVA_LONG), critical);
        MethodHandle freeLarge = critical ? Downcalls.handle(freeSym, FunctionDescriptor.ofVoid(JAVA_LONG), false)
                : free;
        MethodHandle aligned = alignedSymbol == null ? null : Downcalls.handle(
                Downcalls.symbol(lookup, library, alignedSymbol), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG),
                critical);
        MemorySegment reallocSym = reallocSymbol == null ? null : Downcalls.symbol(lookup, library, reallocSymbol);
        FunctionDescriptor reallocFd = FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, size);
        MethodHandle realloc = reallocSym == null ? null : Downcalls.handle(reallocSym, reallocFd, critical);
        MethodHandle reallocLarge = reallocSym == null || !critical ? realloc
                : Downcalls.handle(reallocSym, reallocFd, false);
        MethodHandle usable = usableSymbol == null ? null : Downcalls.handle(
                Downcalls.symbol(lookup, library, usableSymbol), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG), critical);
        return new LibraryAllocator("'" + name + "' (" + library + ")", alloc, sizeType, hint, free, freeLarge,
                freeSym.address(), aligned, realloc, reallocLarge, usable);
    }

    static SymbolLookup load(String library) {
        try {
            return library.indexOf('/') >= 0
                    ? SymbolLookup.libraryLookup(Path.of(library), Arena.global())
                    : SymbolLookup.libraryLookup(library, Arena.global());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load library '" + library + "'" + installHint(library), e);
        }
    }

    private static String installHint(String library) {
        if (library.contains("mimalloc")) {
            return ": install Debian's package libmimalloc2.0 (apt-get install libmimalloc2.0)";
        }
        if (library.contains("sqlite3")) {
            return ": install Debian's package libsqlite3-0 (apt-get install libsqlite3-0)";
        }
        return "";
    }
}
