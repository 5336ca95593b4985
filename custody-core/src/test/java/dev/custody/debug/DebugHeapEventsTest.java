package dev.custody.debug;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.scoped.Slab;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No phantom events: a debug heap's memory is one allocation of its base's memory source, never a
 * tracked block of the base's, so a recording shows, for every heap, as many frees as allocations.
 * Before the memory sources, a debug heap over a tracked libc emitted a {@code dev.custody.Allocation}
 * of libc for every block's carve, and no {@code Free} ever matched it.
 */
class DebugHeapEventsTest {
    private static final Tag TAG = Tag.of("debug-events-test");
    private static final int BLOCKS = 200;

    @Test
    void aRecordingOverDebugHeapsOnATrackedLibcHasEqualCountsOfAllocationsAndFreesPerHeap() throws Exception {
        Heap libc = Heaps.libc();
        Path file = Files.createTempFile("debug-events", ".jfr");
        Map<String, int[]> counts = new TreeMap<>(); // heap -> {allocations, frees}
        try (Recording rec = new Recording()) {
            rec.enable("dev.custody.Allocation");
            rec.enable("dev.custody.Free");
            rec.start();
            libc.setTracking(Tracking.FULL); // process-wide: set back below
            try {
                DebugOptions small = DebugOptions.defaults().withQuarantine(16, 1 << 20); // blocks leave it, too
                cycle(DebugHeaps.poisoning(libc, small));
                cycle(DebugHeaps.guarded(libc, small));
                DebugHeap inner = DebugHeaps.poisoning(libc, small);
                cycle(DebugHeaps.poisoning(inner, small));
                inner.close();
                Slab slab = Heaps.slab("debug-events-slab", libc, 128, 32);
                cycle(DebugHeaps.poisoning(slab, small));
                slab.close();
                Heap direct = libc.child("debug-events-child", Long.MAX_VALUE);
                cycle(direct);
            } finally {
                libc.setTracking(Tracking.OFF);
            }
            rec.stop();
            rec.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Files.delete(file);
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if (!type.equals("dev.custody.Allocation") && !type.equals("dev.custody.Free")) {
                continue; // JFR's own, or another test's recording's
            }
            String heap = e.getString("heap");
            int i = type.equals("dev.custody.Allocation") ? 0 : 1;
            counts.computeIfAbsent(heap, k -> new int[2])[i]++;
        }
        assertThat(counts).isNotEmpty();
        counts.forEach((heap, c) -> assertThat(c[1]).as("frees of heap '%s' (%d allocations)", heap, c[0])
                .isEqualTo(c[0]));
        assertThat(counts.get("debug(libc)")[0]).isEqualTo(BLOCKS);
        assertThat(counts.get("guarded(libc)")[0]).isEqualTo(BLOCKS);
        assertThat(counts.get("debug(debug(libc))")[0]).isEqualTo(BLOCKS);
        assertThat(counts.get("debug(debug-events-slab)")[0]).isEqualTo(BLOCKS);
        assertThat(counts.get("debug-events-child")[0]).isEqualTo(BLOCKS);
        // the slab's own chunks are blocks of libc: each allocated and freed once
        assertThat(counts.getOrDefault("libc", new int[2])[0]).isLessThan(BLOCKS);
    }

    private static void cycle(Heap h) {
        for (int i = 0; i < BLOCKS; i++) {
            Block b = h.allocate(48, TAG);
            b.free();
        }
        h.close();
    }
}
