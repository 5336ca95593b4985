package dev.custody.junit;

import dev.custody.Block;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.Tracking;
import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;
import dev.custody.scoped.Region;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests run by {@link CustodyExtensionTest} through JUnit's engine test kit, not by Surefire (the
 * name matches none of its patterns): some leak on purpose.
 */
@CheckNativeLeaks
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LeakyCases {
    /** A tracked heap of its own, so the test can free what the cases leave. */
    static final Heap TRACKED = Heaps.libc().child("junit-tracked", Long.MAX_VALUE);
    static final Heap UNTRACKED = Heaps.libc().child("junit-untracked", Long.MAX_VALUE);

    static {
        TRACKED.setTracking(Tracking.FULL, 1);
        UNTRACKED.setTracking(Tracking.OFF, 1);
    }

    /** Live before any test: the class initializer's, never the tests' leak. */
    static final Block FROM_CLASS_INIT = TRACKED.allocate(1000, Tag.of("class-init"));
    static Block fromBeforeAll;
    static Region region;

    @BeforeAll
    static void beforeAll() {
        fromBeforeAll = TRACKED.allocate(2000, Tag.of("before-all"));
        region = Heaps.region("junit-region", TRACKED, 4096);
        region.setTracking(Tracking.FULL, 1); // a region is a root heap: it does not take TRACKED's setting
    }

    @Test
    @Order(1)
    void leaksTwoBlocks() {
        leakOne(64);
        leakOne(32);
    }

    private static void leakOne(long size) {
        TRACKED.allocate(size, Tag.of("leaked"));
    }

    @Test
    @Order(2)
    void freesWhatItAllocates() {
        TRACKED.allocate(128, Tag.of("freed")).free();
    }

    @Test
    @Order(3)
    void marksWhatItKeeps() {
        TRACKED.allocate(256, Tag.of("cache")).markNotALeak();
    }

    @Test
    @Order(4)
    void aPoolsChunkAndAFramesChunkAreNotLeaks() {
        region.allocate(16, Tag.of("level")).free(); // the region's first chunk is made now, and kept
        try (Frame f = Frames.push()) {
            f.allocate(512);
        }
    }

    @Test
    @Order(5)
    void leaksARegionBlock() {
        region.allocate(40, Tag.of("level-kept"));
    }

    @Test
    @Order(5)
    void leaksOnAnUntrackedHeap() {
        UNTRACKED.allocate(48, Tag.of("untracked"));
    }

    @Test
    @Order(6)
    void failsItselfAndLeaks() {
        TRACKED.allocate(8, Tag.of("both"));
        assertThat(1).as("the test's own failure").isEqualTo(2);
    }

    @Test
    @Order(7)
    void runsAfterTheLeaksAndPasses() {
        assertThat(TRACKED.stats().tag(Tag.of("leaked")).liveBlocks()).isEqualTo(2);
    }
}
