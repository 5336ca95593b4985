package dev.custody.game;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The game of the recordings seed: a native library ({@code libcustody_game.so}, built from
 * {@code src/main/c/game.c}) with its own memory manager, like GTA SA's {@code CMemoryMgr}, and a
 * table of car-recording paths, like {@code CPath} and the streaming array.
 *
 * <p>The game's allocator takes a memory id ({@link #MEM_PATHS} for recordings) and keeps live
 * bytes and blocks per id. Those counters are the game's own, outside custody's books: they are the
 * independent witness. A path injected into the table belongs to the game, which frees it with its
 * own {@code game_free} when the path's reference count reaches zero (the table holds one reference
 * from inject to remove, each playback one more). {@code game_free} of memory that
 * {@code game_malloc} did not return aborts the process, as the real game crashes.
 *
 * <p>The mod's correct way, with custody:
 * <pre>{@code
 * Block rec = Game.heap().allocate(frames * 32L, Game.PATHS);   // game_malloc(size, 29)
 * rec.segment().copyFrom(frames);
 * Game.inject(900, rec);              // handOff(Game.heap()): checked; rec is now dead to Java
 * Game.startPlayback(900);            // 2
 * Game.stopPlayback(900);             // 1
 * Game.removePath(900);               // 0: the game freed it on its own heap
 * }</pre>
 *
 * <p>The game is process-wide: one table and one set of counters per JVM. All methods are
 * thread-safe. Path-table methods throw {@link GameException} when the game refuses.
 */
public final class Game {
    /** The seed's {@code MEM_PATHS}: the memory id of car recording paths. */
    public static final int MEM_PATHS = 29;
    /** The memory id that every tag other than {@link #PATHS} is passed as. */
    public static final int MEM_DEFAULT = 0;
    /** The number of memory ids, as {@code eMemoryId}'s 33 categories. */
    public static final int MEMORY_IDS = 33;
    /** The tag that the game heap passes to {@code game_malloc} as {@link #MEM_PATHS}. */
    public static final Tag PATHS = Tag.of("paths");
    /** The path table's slots: 0 to {@code PATH_SLOTS - 1}. */
    public static final int PATH_SLOTS = 1024;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Game() {
    }

    /**
     * The extracted library file.
     *
     * @return its path, in a private temporary directory
     */
    public static Path library() {
        return GameLibrary.PATH;
    }

    /**
     * The game's heap: {@code game_malloc(size, memId)} with the tag {@link #PATHS} passed as
     * {@link #MEM_PATHS} and every other tag as {@link #MEM_DEFAULT}, freed by {@code game_free}.
     * The same heap instance every time (heap identity is the free function).
     *
     * @return the game's heap
     */
    public static Heap heap() {
        return HeapHolder.HEAP;
    }

    /**
     * Hands a recording to the game and injects it into {@code slot}. The hand-off is checked
     * first: a block that the game's heap did not allocate is refused with
     * {@link dev.custody.WrongHeapException} and stays live, where without custody the game would
     * abort later, when it frees the block. After a successful hand-off the block is dead to Java.
     *
     * @param slot the path table's slot
     * @param recording a live block of the game's heap
     * @throws dev.custody.WrongHeapException if the block is not the game heap's; it stays live
     * @throws dev.custody.CustodyException as {@link Block#handOff}, with the block unchanged
     * @throws GameException if the game refuses the slot; the block, already handed off, is then
     *     freed on the game's heap, which is its owner, so nothing is lost or leaked
     */
    public static void inject(int slot, Block recording) {
        long size = recording.byteSize();
        long address = recording.handOff(heap());
        int r = call(GameLibrary.INJECT_PATH, slot, address, size);
        if (r < 0) {
            freeRefused(address);
            throw new GameException("game_inject_path", slot, r);
        }
    }

    /**
     * Injects raw memory, without custody: the game takes it and will free it with
     * {@code game_free}. Memory that {@code game_malloc} did not return makes the game abort when
     * it frees it. This is the seed's mistake, kept reachable so that it can be shown.
     *
     * @param slot the path table's slot
     * @param address the memory's address
     * @param size its size in bytes
     * @throws GameException if the game refuses the slot or the address is 0
     */
    public static void injectPath(int slot, long address, long size) {
        int r = call(GameLibrary.INJECT_PATH, slot, address, size);
        if (r < 0) {
            throw new GameException("game_inject_path", slot, r);
        }
    }

    /**
     * Starts a playback of the path: the game retains it.
     *
     * @param slot the path table's slot
     * @return the path's new reference count
     * @throws GameException if there is no path in the slot or it was removed
     */
    public static int startPlayback(int slot) {
        return slotCall(GameLibrary.START_PLAYBACK, "game_start_playback", slot);
    }

    /**
     * Stops a playback: the game releases the path, and frees its data at zero.
     *
     * @param slot the path table's slot
     * @return the new reference count; 0 means the game freed the data
     * @throws GameException if there is no path in the slot or no playback of it
     */
    public static int stopPlayback(int slot) {
        return slotCall(GameLibrary.STOP_PLAYBACK, "game_stop_playback", slot);
    }

    /**
     * Removes the path from the table, dropping the table's reference; the data is freed at zero,
     * or when the last playback stops.
     *
     * @param slot the path table's slot
     * @return the new reference count; 0 means the game freed the data
     * @throws GameException if there is no path in the slot or it was already removed
     */
    public static int removePath(int slot) {
        return slotCall(GameLibrary.REMOVE_PATH, "game_remove_path", slot);
    }

    /**
     * The path's reference count: 0 when the slot holds no path (its data was freed).
     *
     * @param slot the path table's slot
     * @return the count
     * @throws GameException if the slot is out of range
     */
    public static int refCount(int slot) {
        int r = call(GameLibrary.PATH_REFCOUNT, slot);
        return r == GameException.NO_PATH ? 0 : check(r, "game_path_refcount", slot);
    }

    /**
     * The FNV-1a hash of the path's data as the game reads it; equal to {@link #fnv1a} of the
     * bytes Java wrote.
     *
     * @param slot the path table's slot
     * @return the hash
     * @throws GameException if there is no path in the slot
     */
    public static long checksum(int slot) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG);
            int r = (int) GameLibrary.PATH_CHECKSUM.invokeExact(slot, out);
            check(r, "game_path_checksum", slot);
            return out.get(JAVA_LONG, 0);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("game_path_checksum failed", t);
        }
    }

    /**
     * FNV-1a (64 bit) of the bytes, the hash the game computes in {@link #checksum}.
     *
     * @param bytes the bytes
     * @return the hash
     */
    public static long fnv1a(MemorySegment bytes) {
        long h = FNV_OFFSET;
        for (long i = 0; i < bytes.byteSize(); i++) {
            h = (h ^ (bytes.get(JAVA_BYTE, i) & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /**
     * Paths whose data the game still holds: the game's own counter.
     *
     * @return the count
     */
    public static int livePaths() {
        try {
            return (int) GameLibrary.LIVE_PATHS.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("game_live_paths failed", t);
        }
    }

    /**
     * Bytes the game's allocator holds for a memory id (0 for an id out of range): its own counter.
     *
     * @param memId the memory id
     * @return the bytes
     */
    public static long bytesInUse(int memId) {
        return counter(GameLibrary.BYTES_IN_USE, memId);
    }

    /**
     * Blocks the game's allocator holds for a memory id (0 for an id out of range): its own counter.
     *
     * @param memId the memory id
     * @return the count
     */
    public static long blocksInUse(int memId) {
        return counter(GameLibrary.BLOCKS_IN_USE, memId);
    }

    private static long counter(MethodHandle h, int memId) {
        try {
            return (long) h.invokeExact(memId);
        } catch (Throwable t) {
            throw new IllegalStateException("game counter failed", t);
        }
    }

    private static int slotCall(MethodHandle h, String name, int slot) {
        return check(call(h, slot), name, slot);
    }

    private static int check(int result, String name, int slot) {
        if (result < 0) {
            throw new GameException(name, slot, result);
        }
        return result;
    }

    private static int call(MethodHandle h, int slot) {
        try {
            return (int) h.invokeExact(slot);
        } catch (Throwable t) {
            throw new IllegalStateException("game call failed", t);
        }
    }

    private static int call(MethodHandle h, int slot, long address, long size) {
        try {
            return (int) h.invokeExact(slot, address, size);
        } catch (Throwable t) {
            throw new IllegalStateException("game_inject_path failed", t);
        }
    }

    private static void freeRefused(long address) {
        try {
            GameLibrary.FREE.invokeExact(address);
        } catch (Throwable t) {
            throw new IllegalStateException("game_free failed", t);
        }
    }

    private static final class HeapHolder {
        static final Heap HEAP = Heaps.library("game", GameLibrary.PATH.toString())
                .allocate("game_malloc")
                .hint(Map.of(PATHS, MEM_PATHS), MEM_DEFAULT)
                .free("game_free")
                .build();
    }
}
