package dev.custody.debug;

import dev.custody.Block;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.Tracking;

import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Run by {@link GuardCrashTest} in a child JVM: makes a guarded heap with a ring file, then touches
 * a guarded block where it must not, and so dies of SIGSEGV. Arguments: the ring file, and {@code
 * overrun} (write one byte past the end of a live block) or {@code read-after-free} (read a freed
 * block). Before the fault it prints the block's address on standard output.
 */
public final class GuardCrashChild {
    private GuardCrashChild() {
    }

    public static void main(String[] args) {
        DebugHeap heap = DebugHeaps.guarded(Heaps.libc(), DebugOptions.defaults().withRing(Path.of(args[0]), 64));
        heap.setTracking(Tracking.FULL, 1);
        Tag tag = Tag.of("crash-victim");
        for (int i = 0; i < 5; i++) {
            heap.allocate(32 + i, Tag.of("bystander")).free(); // earlier events the ring also keeps
        }
        Block victim = heap.allocate(48, tag);
        long address = victim.address();
        System.out.println("victim 0x" + Long.toHexString(address));
        System.out.flush();
        switch (args[1]) {
            case "overrun" -> Bases.raw(address, 49).set(JAVA_BYTE, 48, (byte) 1);
            case "read-after-free" -> {
                victim.free();
                System.out.println("read " + Bases.raw(address, 48).get(JAVA_BYTE, 0));
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[1]);
        }
        System.out.println("survived"); // must not be reached
        System.exit(0);
    }
}
