package dev.custody.cli.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds 5 direct buffers of 4 KiB, says "ready", then follows commands on standard input:
 * "more" drops those 5, waits until the JDK's own pool count shows them freed, keeps 3 new ones of
 * 8 KiB and says "done"; "exit" ends.
 */
public final class WaitingProgram {
    static final List<ByteBuffer> KEPT = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < 5; i++) {
            KEPT.add(ByteBuffer.allocateDirect(4096)); // BEFORE-ATTACH
        }
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("more")) {
                BufferPoolMXBean pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                        .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
                long before = pool.getCount();
                KEPT.clear();
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (pool.getCount() > before - 5 && System.nanoTime() < deadline) {
                    System.gc();
                    Thread.sleep(20);
                }
                long freed = before - pool.getCount();
                keepMore();
                System.out.println("done " + freed);
            } else if (line.equals("exit")) {
                return;
            }
        }
    }

    /**
     * A method of its own: code already running when the agent attaches keeps its old bytecode, and
     * its frames lose their lines (the JVM's obsolete methods), so the loop above calls in here anew.
     */
    private static void keepMore() {
        for (int i = 0; i < 3; i++) {
            KEPT.add(ByteBuffer.allocateDirect(8192)); // AFTER-ATTACH
        }
    }
}
