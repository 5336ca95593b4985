package dev.custody.agent.programs;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;

/** A block of custody's libc heap handed to a library that frees it through sun.misc.Unsafe. */
@SuppressWarnings("removal")
public final class CustodyMistakeProgram {
    public static void main(String[] args) throws Exception {
        sun.misc.Unsafe unsafe = Programs.unsafe();
        Heap libc = Heaps.libc();
        Block b = libc.allocate(64, Tag.of("paths"));
        try {
            unsafe.freeMemory(b.address()); // CUSTODY-FREE
            System.out.println("freed a custody block through Unsafe");
        } catch (RuntimeException e) {
            System.out.println("refused: " + e.getMessage());
        }
        b.free();
        System.out.println("live " + libc.stats().total().liveBlocks());
    }
}
