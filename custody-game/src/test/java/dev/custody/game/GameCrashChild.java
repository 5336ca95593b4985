package dev.custody.game;

import dev.custody.Block;
import dev.custody.Heaps;
import dev.custody.WrongHeapException;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The child JVM of {@link GameCrashTest}: makes the seed's mistake, a libc block given to the game,
 * either raw ({@code raw}: the game aborts when it frees it) or through custody ({@code custody}:
 * refused at the hand-off, exit 0).
 */
public final class GameCrashChild {
    static final int SLOT = 900;
    static final long SIZE = RecordingFrames.bytes(100);

    private GameCrashChild() {
    }

    public static void main(String[] args) throws Throwable {
        switch (args[0]) {
            case "raw" -> raw();
            case "custody" -> throughCustody();
            default -> throw new IllegalArgumentException("mode raw or custody, not " + args[0]);
        }
    }

    /** libc malloc straight into the game's table; removing the path makes the game free it. */
    private static void raw() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle malloc = linker.downcallHandle(linker.defaultLookup().find("malloc").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG));
        long address = (long) malloc.invokeExact(SIZE);
        RecordingFrames.write(MemorySegment.ofAddress(address).reinterpret(SIZE), 7);
        Game.injectPath(SLOT, address, SIZE);
        System.out.println("injected a libc block; playback " + Game.startPlayback(SLOT) + ", stop "
                + Game.stopPlayback(SLOT) + "; removing it");
        System.out.flush();
        Game.removePath(SLOT);
        System.out.println("survived");
    }

    private static void throughCustody() {
        Block rec = Heaps.libc().allocate(SIZE, Game.PATHS);
        RecordingFrames.write(rec.segment(), 7);
        long checksum = Game.fnv1a(rec.segment());
        try {
            Game.inject(SLOT, rec);
            System.out.println("NOT REFUSED");
            System.exit(2);
        } catch (WrongHeapException e) {
            System.out.println("refused: " + e.getMessage());
        }
        boolean intact = rec.isLive() && Game.fnv1a(rec.segment()) == checksum;
        rec.free();
        System.out.println("block intact: " + intact + "; freed on libc; game live paths " + Game.livePaths()
                + ", MEM_PATHS bytes " + Game.bytesInUse(Game.MEM_PATHS));
        System.exit(intact && Game.livePaths() == 0 ? 0 : 3);
    }
}
