package dev.custody.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The child of the {@code jvm} scenario, run under the custody agent: on each {@code cycle SEED}
 * line it works with direct buffers, confined, shared and automatic arenas and
 * {@code sun.misc.Unsafe}, drops all of it, waits until the JDK's direct buffer pool shows every
 * dropped buffer collected, and prints one {@code figures} line: the agent's live bytes per source
 * kind (read from its MXBeans) and the pool's own {@code direct} figure. It holds {@value #HELD}
 * direct buffers of 4 KiB for its whole life, so that the two figures agree on a sum that is not 0.
 * A line {@code cycle SEED BYTES} also keeps a direct buffer of BYTES for good: the injected leak.
 */
@SuppressWarnings("removal")
public final class JvmWorkload {
    private static final long SETTLE_NANOS = 30_000_000_000L;
    static final int HELD = 16;
    private static final List<ByteBuffer> KEPT = new ArrayList<>();

    private JvmWorkload() {}

    /**
     * Runs the workload until its standard input closes.
     *
     * @param args none are read
     * @throws Exception if the agent's MXBeans cannot be read (the agent is not loaded), or
     *     {@code sun.misc.Unsafe} cannot be reached
     */
    public static void main(String[] args) throws Exception {
        Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        BufferPoolMXBean pool = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
        for (int i = 0; i < HELD; i++) {
            KEPT.add(ByteBuffer.allocateDirect(4096));
        }
        System.out.println("ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.startsWith("cycle ")) {
                continue;
            }
            String[] words = line.split(" ");
            cycle(unsafe, new SplittableRandom(Long.parseLong(words[1])));
            if (words.length > 2) { // an injected leak: a direct buffer kept for good, as a cache that never evicts
                ByteBuffer leak = ByteBuffer.allocateDirect(Math.toIntExact(Long.parseLong(words[2])));
                leak.put(0, (byte) 1);
                KEPT.add(leak);
            }
            long deadline = System.nanoTime() + SETTLE_NANOS;
            long direct;
            do {
                System.gc();
                Thread.sleep(10);
                direct = live(server, "direct-buffer");
            } while ((pool.getMemoryUsed() != direct || live(server, "arena") != 0) && System.nanoTime() < deadline);
            System.out.println("figures direct=" + direct + " arena=" + live(server, "arena") + " unsafe="
                    + live(server, "unsafe") + " pool=" + pool.getMemoryUsed() + " poolCount=" + pool.getCount());
        }
    }

    private static long live(MBeanServer server, String kind) throws Exception {
        return (Long) server.getAttribute(new ObjectName("dev.custody:type=AgentSource,name=" + kind), "LiveBytes");
    }

    /** One cycle's work; nothing it makes outlives it but what the GC has yet to collect. */
    private static void cycle(sun.misc.Unsafe unsafe, SplittableRandom random) {
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(8 * (8 + random.nextInt(1024)));
            b.putLong(0, i);
            buffers.add(b);
        }
        try (Arena shared = Arena.ofShared()) {
            for (int i = 0; i < 50; i++) {
                try (Arena confined = Arena.ofConfined()) {
                    confined.allocate(64 + random.nextInt(4096)).set(ValueLayout.JAVA_INT, 0, i);
                    shared.allocate(128).set(ValueLayout.JAVA_INT, 0, i);
                }
            }
        }
        for (int i = 0; i < 20; i++) {
            MemorySegment auto = Arena.ofAuto().allocate(1024);
            auto.set(ValueLayout.JAVA_LONG, 0, i);
        }
        long[] blocks = new long[100];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = unsafe.allocateMemory(16 + random.nextInt(512));
            unsafe.putLong(blocks[i], i);
        }
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = unsafe.reallocateMemory(blocks[i], 1024);
        }
        for (long b : blocks) {
            unsafe.freeMemory(b);
        }
        buffers.clear();
    }
}
