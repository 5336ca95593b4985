package dev.custody.agent.programs;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Run by {@link IsolatedLoaderProgram} in a bootstrap-parented loader: direct buffers and Unsafe, some kept. */
@SuppressWarnings("removal")
public final class IsolatedWorkload {
    static final List<ByteBuffer> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 2; i++) {
            KEPT.add(ByteBuffer.allocateDirect(2048)); // ISOLATED-DIRECT
        }
        sun.misc.Unsafe u = Programs.unsafe();
        long[] blocks = new long[4];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = u.allocateMemory(512); // ISOLATED-UNSAFE
        }
        u.freeMemory(blocks[0]);
        System.out.println("isolated kept " + KEPT.size());
    }
}
