package dev.custody.game;

import dev.custody.nativeheap.internal.BundledLibrary;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** The downcall handles of {@code libcustody_game.so} (src/main/c/game.h), loaded once per JVM. */
final class GameLibrary {
    static final Path PATH = BundledLibrary.path(GameLibrary.class, "native/libcustody_game.so");
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup(PATH, Arena.global());

    static final MethodHandle BYTES_IN_USE = handle("game_bytes_in_use", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    static final MethodHandle BLOCKS_IN_USE = handle("game_blocks_in_use", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    static final MethodHandle FREE = handle("game_free", FunctionDescriptor.ofVoid(JAVA_LONG));
    static final MethodHandle INJECT_PATH = handle("game_inject_path",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    static final MethodHandle START_PLAYBACK = slotFunction("game_start_playback");
    static final MethodHandle STOP_PLAYBACK = slotFunction("game_stop_playback");
    static final MethodHandle REMOVE_PATH = slotFunction("game_remove_path");
    static final MethodHandle PATH_REFCOUNT = slotFunction("game_path_refcount");
    static final MethodHandle PATH_CHECKSUM = handle("game_path_checksum",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle LIVE_PATHS = handle("game_live_paths", FunctionDescriptor.of(JAVA_INT));

    private GameLibrary() {
    }

    private static MethodHandle slotFunction(String name) {
        return handle(name, FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(
                () -> new IllegalStateException("symbol '" + name + "' missing from " + PATH)), fd);
    }
}
