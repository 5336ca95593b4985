package dev.custody.agent.programs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Leaks 3 direct buffers of 4 KiB and 4 of 8 KiB at known lines, and drops 50 of 1 KiB for the GC. */
public final class DirectLeakProgram {
    static final List<ByteBuffer> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 3; i++) {
            KEPT.add(ByteBuffer.allocateDirect(4096)); // LEAK-4K
        }
        for (int i = 0; i < 4; i++) {
            KEPT.add(ByteBuffer.allocateDirect(8192)); // LEAK-8K
        }
        for (int i = 0; i < 50; i++) {
            ByteBuffer.allocateDirect(1024).putInt(0, i); // DROPPED
        }
        Programs.collect();
        System.out.println("kept " + KEPT.size());
    }
}
