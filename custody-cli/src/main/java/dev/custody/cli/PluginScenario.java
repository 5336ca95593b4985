package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.WrongHeapException;
import dev.custody.ffi.ErrorCode;
import dev.custody.ffi.LogLevel;
import dev.custody.ffi.NativePlugin;
import dev.custody.ffi.PluginException;
import dev.custody.ffi.reference.ReferencePlugin;

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
 * mallinfo2, mimalloc, native RSS: {@link Witnesses}). With {@code --inject-leak plugin[:BYTES]} the
 * host keeps a copy of BYTES of responses per cycle on libc ({@code libc/plugin-copies B}).
 *
 * <p>With {@code --demo-mistake}, the first cycle frees a plugin buffer through libc's free while
 * reading it in place: custody refuses with {@link WrongHeapException}, and the buffer goes home
 * through the plugin's own free as usual.
 */
final class PluginScenario implements Scenario {
    /** The native RSS (the Java heap's committed memory taken out): 32 MiB. */
    private static final long RSS_TOLERANCE = 32L << 20;
    /** The host's copies of responses, on libc: none are kept, unless a leak is injected. */
    static final Tag COPIES = Tag.of("plugin-copies");
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
        Witnesses.notes(log);
        List<Block> leaked = new ArrayList<>();
        long leak = options.leakPerCycle(name());
        try (NativePlugin plugin = NativePlugin.load(ReferencePlugin.path(), ReferencePlugin.config(LogLevel.WARN),
                (level, target, message) -> log.note("plugin log " + level + " " + target + ": " + message));
             StressOptions.Restore tracking = options.track(plugin.heap(), Heaps.libc())) {
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
                if (leak > 0) {
                    leaked.add(keepCopy(plugin, leak));
                }
                log.begin(cycle);
                log.exact("outstanding buffers", plugin.outstandingBuffers());
                log.exact("plugin_live_buffers", ReferencePlugin.liveBuffers() - liveBefore);
                log.exact(plugin.heap().name() + " live B", plugin.heap().stats().total().liveBytes());
                log.books(Heaps.libc(), COPIES);
                Witnesses.record(log, RSS_TOLERANCE);
                log.end();
            }
            if (plugin.quarantinedCount() > 0) {
                log.fail(plugin.quarantinedCount() + " malformed buffers from the reference plugin: "
                        + plugin.quarantinedBuffers());
            }
        }
        Witnesses.freeInjected(leaked, log);
        long left = ReferencePlugin.liveBuffers() - liveBefore;
        if (left != 0) {
            log.fail("the plugin still counts " + left + " live buffers after close");
        }
    }

    /**
     * The injected leak ({@code --inject-leak plugin}): the host copies echoed responses into a libc
     * block of {@code bytes}, tagged {@code plugin-copies}, and keeps it, as a host would that cached
     * responses and never evicted them. The plugin's own heap cannot leak from Java: every response
     * buffer goes home on every path, so the host's copies are where such a bug lives.
     */
    private static Block keepCopy(NativePlugin plugin, long bytes) {
        Block copy = Heaps.libc().allocate(bytes, COPIES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(4096).fill((byte) 7);
            for (long at = 0; at < bytes; at += request.byteSize()) {
                long offset = at;
                plugin.callRaw(ReferencePlugin.ECHO, request, s -> {
                    MemorySegment.copy(s, 0, copy.segment(), offset, Math.min(s.byteSize(), bytes - offset));
                    return null;
                });
            }
        } catch (RuntimeException e) {
            copy.free();
            throw e;
        }
        return copy;
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
                    log.refused("caught (demo mistake): " + e.getMessage());
                }
                return null;
            });
        }
    }
}
