package dev.custody.cli;

import dev.custody.Heaps;
import dev.custody.WrongHeapException;
import dev.custody.ffi.ErrorCode;
import dev.custody.ffi.LogLevel;
import dev.custody.ffi.NativePlugin;
import dev.custody.ffi.PluginException;
import dev.custody.ffi.reference.ReferencePlugin;
import dev.custody.observe.ProcessMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code custody stress --scenario plugin}: the callee allocates and the host frees. Each cycle,
 * two threads make calls into the reference plugin (JSON echo of 1 KiB, binary echo read in place,
 * a big response now and then, 1% failing with an error envelope, a panic now and then). After each
 * cycle it records the exact figures, which must return to where they were (outstanding buffers,
 * the plugin's own live-buffer count, the plugin heap's live bytes) and the witnesses (glibc
 * mallinfo2, RSS).
 *
 * <p>With {@code --demo-mistake}, the first cycle frees a plugin buffer through libc's free while
 * reading it in place: custody refuses with {@link WrongHeapException}, and the buffer goes home
 * through the plugin's own free as usual.
 */
public final class PluginScenario implements Scenario {
    /** mallinfo2 counts the whole JVM's malloc, JIT included: 4 MiB of drift is allowed. */
    private static final long MALLINFO_TOLERANCE = 4L << 20;
    /** RSS also sees the Java heap settle: 64 MiB. */
    private static final long RSS_TOLERANCE = 64L << 20;
    /** Unrecorded cycles first, so that the JIT and the Java heap settle before the witnesses count. */
    private static final int WARM_UP_CYCLES = 3;

    @Override
    public String name() {
        return "plugin";
    }

    @Override
    public String summary() {
        return "calls into a native plugin that allocates what the host frees (FfiBuffer, RbResponse)";
    }

    @Override
    public void run(StressOptions options, CycleLog log) throws Exception {
        int callsPerThread = options.soak() ? 50_000 : 2_500;
        long liveBefore = ReferencePlugin.liveBuffers();
        if (!ProcessMemory.singleArena()) {
            log.note("MALLOC_ARENA_MAX is not 1: mallinfo2 sees only glibc's main arena, so it under-counts");
        }
        try (NativePlugin plugin = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.WARN),
                (level, target, message) -> log.note("plugin log " + level + " " + target + ": " + message))) {
            for (int w = 0; w < WARM_UP_CYCLES; w++) {
                runCycle(plugin, callsPerThread, options.seed() - w - 1).stream().limit(3)
                        .forEach(t -> log.fail("unexpected in warm-up " + t));
            }
            for (int cycle = 1; cycle <= options.cycles(); cycle++) {
                if (cycle == 1 && options.demoMistake()) {
                    demoWrongHeapFree(plugin, log);
                }
                List<Throwable> unexpected = runCycle(plugin, callsPerThread, options.seed() + cycle);
                unexpected.stream().limit(3).forEach(t -> log.fail("unexpected " + t));
                log.begin(cycle);
                log.exact("outstanding buffers", plugin.outstandingBuffers());
                log.exact("plugin_live_buffers", ReferencePlugin.liveBuffers() - liveBefore);
                log.exact(plugin.heap().name() + " live B", plugin.heap().stats().total().liveBytes());
                log.witness("mallinfo2 B", ProcessMemory.mallinfoInUse(), MALLINFO_TOLERANCE);
                log.witness("RSS B", ProcessMemory.rss(), RSS_TOLERANCE);
                log.end();
            }
            if (plugin.quarantinedCount() > 0) {
                log.fail(plugin.quarantinedCount() + " malformed buffers from the reference plugin: "
                        + plugin.quarantinedBuffers());
            }
        }
        long left = ReferencePlugin.liveBuffers() - liveBefore;
        if (left != 0) {
            log.fail("the plugin still counts " + left + " live buffers after close");
        }
    }

    /** One cycle's calls from two threads; returns what went wrong that should not have. */
    private static List<Throwable> runCycle(NativePlugin plugin, int callsPerThread, long seed) throws InterruptedException {
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Random random = new Random(seed * 31 + t);
            threads.add(Thread.ofPlatform().name("plugin-caller-" + t).start(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    byte[] json = ("\"" + "x".repeat(1022) + "\"").getBytes(StandardCharsets.UTF_8);
                    MemorySegment raw = arena.allocate(1024);
                    for (int i = 0; i < callsPerThread; i++) {
                        try {
                            call(plugin, random.nextInt(1000), json, raw);
                        } catch (PluginException e) {
                            if (e.errorCode() != ErrorCode.RUNTIME && e.errorCode() != ErrorCode.INTERNAL) {
                                unexpected.add(e); // the failures asked for are RUNTIME and INTERNAL (panic)
                            }
                        } catch (RuntimeException e) {
                            unexpected.add(e);
                        }
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return List.copyOf(unexpected);
    }

    private static void call(NativePlugin plugin, int dice, byte[] json, MemorySegment raw) {
        if (dice < 10) {
            plugin.call("fail", "8"); // 1%: an error envelope
        } else if (dice < 12) {
            plugin.call("panic", "null"); // 0.2%: a plain string
        } else if (dice < 20) {
            check(plugin.call("big", "65536").length() == 65538, "big");
        } else if (dice < 600) {
            check(plugin.call("echo", json).length == json.length, "echo");
        } else {
            long x = plugin.callRaw(ReferencePlugin.ECHO, raw, s -> s.byteSize());
            check(x == raw.byteSize(), "callRaw");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " returned the wrong response");
        }
    }

    /** The seed's mistake: freeing what the plugin allocated with the host's own free. */
    private static void demoWrongHeapFree(NativePlugin plugin, CycleLog log) {
        try (Arena arena = Arena.ofConfined()) {
            plugin.callRaw(ReferencePlugin.ECHO, arena.allocate(64), s -> {
                try {
                    Heaps.libc().free(MemorySegment.ofAddress(s.address()));
                    log.fail("libc freed a plugin buffer: custody did not stop it");
                } catch (WrongHeapException e) {
                    log.note("caught (demo mistake): " + e.getMessage());
                }
                return null;
            });
        }
    }
}
