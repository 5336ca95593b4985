package dev.custody.agent.programs;

import java.nio.ByteBuffer;

/** Allocates 10 MiB in direct buffers of 4 KiB, dropped as it goes; then sleeps the milliseconds of its argument, if any. */
public final class SampledProgram {
    public static void main(String[] args) throws Exception {
        long sum = 0;
        for (int i = 0; i < 2560; i++) {
            sum += ByteBuffer.allocateDirect(4096).capacity(); // SAMPLED
        }
        System.out.println("allocated " + sum);
        Thread.sleep(args.length > 0 ? Long.parseLong(args[0]) : 0);
    }
}
