package dev.custody.agent.programs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Four platform threads and four virtual threads, each allocating and freeing through all three
 * sources: confined arenas, a shared arena used by all, sun.misc.Unsafe, and direct buffers
 * (freed by the GC). Arguments: iterations per thread.
 */
@SuppressWarnings("removal")
public final class ConcurrentProgram {
    public static void main(String[] args) throws Exception {
        int iterations = Integer.parseInt(args[0]);
        sun.misc.Unsafe u = Programs.unsafe();
        Arena shared = Arena.ofShared(); // SHARED-CREATE
        Runnable work = () -> {
            for (int i = 0; i < iterations; i++) {
                try (Arena a = Arena.ofConfined()) {
                    a.allocate(64).set(ValueLayout.JAVA_INT, 0, i); // CONFINED-ALLOC
                }
                long p = u.allocateMemory(48); // UNSAFE-ALLOC
                u.putLong(p, i);
                u.freeMemory(p);
                ByteBuffer.allocateDirect(128).putInt(0, i); // DIRECT-ALLOC
                if (i % 10 == 0) {
                    MemorySegment s = shared.allocate(32); // SHARED-ALLOC
                    s.set(ValueLayout.JAVA_INT, 0, i);
                }
            }
        };
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(work));
            threads.add(Thread.ofVirtual().start(work));
        }
        for (Thread t : threads) {
            t.join();
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        String marker = "\"site\":\"" + ConcurrentProgram.class.getName() + ".lambda";
        do {
            Programs.collect();
        } while (System.nanoTime() < deadline && directStillLive());
        System.out.println("threads " + threads.size() + " " + marker.length());
    }

    private static boolean directStillLive() throws Exception {
        String json = Programs.reportNow();
        int at = json.indexOf("\"kind\":\"direct-buffer\"");
        if (at < 0) {
            return true;
        }
        int live = json.indexOf("\"liveBlocks\":", at);
        return !json.startsWith("\"liveBlocks\":0,", live);
    }
}
