package dev.custody.agent.programs;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A FileChannel read loop into heap buffers: the JDK's temporary direct buffers do the I/O. */
public final class FileChannelProgram {
    public static void main(String[] args) throws Exception {
        Path file = Files.createTempFile("custody-agent", ".bin");
        Files.write(file, new byte[1 << 20]);
        long total = 0;
        for (int round = 0; round < 20; round++) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer heap = ByteBuffer.allocate(65536 + round * 4096); // above the 32 KiB the JVM's start-up leaves cached
                for (int n; (n = ch.read(heap)) > 0; heap.clear()) {
                    total += n;
                }
            }
        }
        Files.delete(file);
        System.out.println("read " + total);
    }
}
