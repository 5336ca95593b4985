package dev.custody.cli.programs;

import java.nio.ByteBuffer;

/** Holds 3 direct buffers of 4 KiB for 2.5 s, then exits: long enough for two periodic books events. */
public final class HoldingProgram {
    public static void main(String[] args) throws Exception {
        ByteBuffer[] kept = new ByteBuffer[3];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = ByteBuffer.allocateDirect(4096); // HELD
        }
        Thread.sleep(2500);
        System.out.println("held " + kept.length);
    }
}
