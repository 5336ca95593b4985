package dev.custody.agent.programs;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.memory.unsafe.UnsafeAllocationManager;

/** Apache Arrow's RootAllocator: one ArrowBuf of 64 KiB leaked at a known line, 10 closed. */
public final class ArrowProgram {
    static ArrowBuf leaked;

    public static void main(String[] args) {
        BufferAllocator root = new RootAllocator(RootAllocator.configBuilder()
                .allocationManagerFactory(UnsafeAllocationManager.FACTORY).build());
        for (int i = 0; i < 10; i++) {
            try (ArrowBuf b = root.buffer(4096)) { // ARROW-CLOSED
                b.setLong(0, i);
            }
        }
        leaked = root.buffer(65536); // ARROW-LEAK
        leaked.setLong(0, 1);
        System.out.println("arrow " + root.getAllocatedMemory());
    }
}
