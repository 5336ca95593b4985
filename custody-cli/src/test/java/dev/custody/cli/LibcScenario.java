package dev.custody.cli;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.observe.ProcessMemory;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A tiny real scenario for the tests: each cycle allocates blocks of random sizes on
 * {@code Heaps.libc()}, writes them, and frees them, except {@code keptPerCycle} blocks that it
 * keeps until the end: a leak in custody's books. {@code rawLeakPerCycle} bytes a cycle are
 * malloc'ed past custody, by a raw downcall: a leak only the mallinfo2 witness can see. It frees
 * everything it kept before returning, on every exit.
 */
record LibcScenario(String name, int blocksPerCycle, int keptPerCycle, long rawLeakPerCycle) implements Scenario {
    /**
     * mallinfo2 counts the whole process: in a young test JVM the JIT compiler threads malloc
     * about 2 MB within the first second (measured: 2.2 MB over 200 quick cycles), and a loaded
     * CI machine has shown swings of 7 MB in a few cycles, so 12 MiB. The hidden leak of the test
     * (4 MiB a cycle over 8 cycles) still stands about 20 MiB above it.
     */
    static final long TOLERANCE = 12 << 20;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("malloc")
            .orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free")
            .orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    LibcScenario(String name, int blocksPerCycle, int keptPerCycle) {
        this(name, blocksPerCycle, keptPerCycle, 0);
    }

    @Override
    public String summary() {
        return "allocates and frees " + blocksPerCycle + " libc blocks per cycle, keeping " + keptPerCycle;
    }

    @Override
    public void run(StressOptions options, CycleLog log) throws Exception {
        Heap libc = Heaps.libc();
        Tag tag = Tag.of("cli-test-" + name);
        SplittableRandom random = new SplittableRandom(options.seed());
        List<Block> kept = new ArrayList<>();
        List<MemorySegment> raw = new ArrayList<>();
        try (StressOptions.Restore tracking = options.track(libc)) {
            for (int c = 1; c <= options.cycles(); c++) {
                List<Block> blocks = new ArrayList<>();
                for (int i = 0; i < blocksPerCycle; i++) {
                    Block b = libc.allocate(16 + random.nextInt(4096), tag);
                    b.segment().set(ValueLayout.JAVA_BYTE, b.byteSize() - 1, (byte) i);
                    blocks.add(b);
                }
                for (int i = 0; i < blocks.size(); i++) {
                    if (i < keptPerCycle) {
                        kept.add(blocks.get(i));
                    } else {
                        blocks.get(i).free();
                    }
                }
                if (rawLeakPerCycle > 0) {
                    raw.add(rawMalloc(rawLeakPerCycle));
                }
                log.begin(c);
                log.books(libc, tag);
                log.exact("libc/" + tag.name() + " live blocks", libc.stats().tag(tag).liveBlocks());
                log.witness("mallinfo2 B", ProcessMemory.mallinfoInUse(), TOLERANCE);
                log.end();
            }
            if (options.demoMistake()) {
                Block b = libc.allocate(64, tag);
                b.free();
                try {
                    b.free();
                    log.fail("a double free was not caught");
                } catch (dev.custody.DoubleFreeException e) {
                    log.note("caught: " + e.getClass().getSimpleName());
                }
            }
        } finally {
            kept.forEach(Block::free);
            raw.forEach(LibcScenario::rawFree);
        }
    }

    private static MemorySegment rawMalloc(long size) {
        try {
            return (MemorySegment) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw new IllegalStateException("malloc downcall failed", t);
        }
    }

    private static void rawFree(MemorySegment m) {
        try {
            FREE.invokeExact(m);
        } catch (Throwable t) {
            throw new IllegalStateException("free downcall failed", t);
        }
    }
}
