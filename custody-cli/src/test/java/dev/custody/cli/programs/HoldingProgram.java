package dev.custody.cli.programs;

import java.nio.ByteBuffer;

/** Holds 3 direct buffers of 4 KiB for 2.5 s, then exits: long enough for two periodic books events. */
public final class HoldingProgram {
    public static void main(String[] args) throws Exception {
        ByteBuffer[] kept = {ByteBuffer.allocateDirect(4096), ByteBuffer.allocateDirect(4096), ByteBuffer.allocateDirect(4096)};
        Thread.sleep(2500);
        System.out.println("held " + kept.length);
    }
}
