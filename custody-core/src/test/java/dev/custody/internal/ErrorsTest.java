package dev.custody.internal;

import dev.custody.Block;
import dev.custody.BlockInUseException;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.SharedBlock;
import dev.custody.Tag;
import dev.custody.WrongHeapException;
import dev.custody.scoped.Frame;
import dev.custody.scoped.Frames;
import dev.custody.scoped.Region;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every error is made in one place, worded for what was asked, and emitted as a Misuse event. */
class ErrorsTest {
    private static final Tag TAG = Tag.of("errors-test");
    private final Heap libc = Heaps.libc();
    private final Heap sqlite = Heaps.library("sqlite", "libsqlite3.so.0", "sqlite3_malloc64", "sqlite3_free");

    /** The old message said "freed through" for a hand-off, with a free's advice. */
    @Test
    void aRefusedHandOffIsWordedAsAHandOff() {
        Block b = libc.allocate(64, TAG);
        assertThatThrownBy(() -> b.handOff(sqlite)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("handed off to 'sqlite'").hasMessageContaining("block of 'libc'")
                .hasMessageContaining("allocate it from 'sqlite'").hasMessageNotContaining("freed through");
        assertThatThrownBy(() -> sqlite.reallocate(b, 128)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("reallocated through 'sqlite'").hasMessageContaining("reallocate it through 'libc'")
                .hasMessageNotContaining("freed through");
        assertThatThrownBy(() -> sqlite.free(b)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("freed through 'sqlite'");
        try (Region r = Heaps.region(libc, 4096)) {
            assertThatThrownBy(() -> r.transfer(b, sqlite)).isInstanceOf(WrongHeapException.class)
                    .hasMessageContaining("is not a block of '" + r.name() + "'").hasMessageNotContaining("freed through");
        }
        assertThat(b.isLive()).isTrue();
        b.free();
    }

    /** The old code threw a bare CustodyException for both. */
    @Test
    void countedBlocksInUseGetBlockInUseException() {
        SharedBlock s = libc.allocateShared(32, TAG);
        s.retain();
        assertThatThrownBy(s::free).isInstanceOf(BlockInUseException.class)
                .hasMessageContaining("its reference count is 2")
                .satisfies(e -> assertThat(((BlockInUseException) e).references()).isEqualTo(2));
        assertThatThrownBy(() -> libc.reallocate(s, 64)).isInstanceOf(BlockInUseException.class)
                .hasMessageContaining("other holders would keep the old address");
        s.release();
        assertThatThrownBy(() -> libc.reallocate(s, 64)).as("even at a count of 1")
                .isInstanceOf(BlockInUseException.class);
        assertThat(s.release()).isTrue();
    }

    /** The closed-heap, frame and region errors skipped Errors, so they emitted no Misuse event. */
    @Test
    void misusesThatAreNotAboutOneBlockEmitMisuseEvents() throws Exception {
        Path file = Files.createTempFile("misuse", ".jfr");
        try (Recording rec = new Recording()) {
            rec.enable("dev.custody.Misuse");
            rec.start();
            Heap closed = libc.child("errors-closed", Long.MAX_VALUE);
            closed.close();
            assertThatThrownBy(() -> closed.allocate(8, TAG)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(closed::close).isInstanceOf(IllegalStateException.class);
            try (Frame outer = Frames.push()) {
                Frame inner = Frames.push();
                assertThatThrownBy(outer::close).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("popped out of order");
                inner.close();
            }
            Region r = Heaps.region(libc, 4096);
            Block rb = r.allocate(16, TAG);
            assertThatThrownBy(() -> r.transfer(rb, r)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> r.allocateShared(16, TAG)).isInstanceOf(UnsupportedOperationException.class);
            r.release();
            r.close();
            assertThatThrownBy(r::release).isInstanceOf(IllegalStateException.class);
            dev.custody.Tags.Scope outerTag = dev.custody.Tags.push(Tag.of("errors-outer"));
            dev.custody.Tags.Scope innerTag = dev.custody.Tags.push(Tag.of("errors-inner"));
            assertThatThrownBy(outerTag::close).isInstanceOf(IllegalStateException.class);
            innerTag.close();
            outerTag.close();
            rec.stop();
            rec.dump(file);
        }
        List<String> messages = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("dev.custody.Misuse"))
                .map(e -> e.getString("kind") + ": " + e.getString("message")).toList();
        Files.delete(file);
        assertThat(messages).anyMatch(m -> m.startsWith("IllegalStateException: allocate on heap 'errors-closed'"))
                .anyMatch(m -> m.contains("already closed or closing"))
                .anyMatch(m -> m.contains("popped out of order"))
                .anyMatch(m -> m.startsWith("IllegalArgumentException: transfer of a block of region"))
                .anyMatch(m -> m.startsWith("UnsupportedOperationException: reference-counted blocks on region"))
                .anyMatch(m -> m.contains("release on heap") && m.contains("it is closed"))
                .anyMatch(m -> m.contains("tag scope 'errors-outer' closed out of order"));
    }
}
