package dev.custody.ffi;

import dev.custody.Block;
import dev.custody.FreeFailedException;
import dev.custody.Heaps;
import dev.custody.ffi.reference.ReferencePlugin;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin buffer adopted with its releaser is freed through the plugin's own function from any
 * thread, during the call or after it. The old allocator found the struct through a thread-local
 * stack that only the calling thread had, during the call: a free anywhere else threw an
 * undocumented IllegalStateException, and the books counted the buffer as freed anyway.
 */
class BufferAllocatorTest {

    @Test
    void aBufferFreedOnAnotherThreadAfterTheCallGoesBackThroughThePlugin() throws Throwable {
        long liveBefore = ReferencePlugin.liveBuffers();
        try (NativePlugin plugin = NativePlugin.load(ReferencePlugin.path(), null, null)) {
            PluginLibrary lib = PluginLibrary.of(ReferencePlugin.path());
            Block b;
            try (Arena a = Arena.ofConfined()) {
                MemorySegment tag = a.allocateFrom("echo");
                MemorySegment req = a.allocateFrom("\"kept\"");
                MemorySegment ret = (MemorySegment) lib.call.invokeExact((SegmentAllocator) a, handle(plugin), tag,
                        req, req.byteSize() - 1);
                Returned r = Returned.ffiBuffer(ret);
                b = lib.adopter.adopt(r.data(), r.len(), PluginLibrary.BUFFER, lib.allocator.releaser(r));
                assertThat(ReferencePlugin.liveBuffers()).isEqualTo(liveBefore + 1);
                b.detach();
            } // the struct's arena is gone: the releaser must rebuild it
            CompletableFuture.runAsync(() -> plugin.heap().free(b)).get();
            assertThat(b.isLive()).isFalse();
            assertThat(ReferencePlugin.liveBuffers()).as("plugin_live_buffers").isEqualTo(liveBefore);
            assertThat(ReferencePlugin.badFrees()).as("plugin_bad_frees").isZero();
            assertThat(plugin.heap().stats().total().liveBlocks()).isZero();
        }
    }

    /**
     * Without a releaser the plugin's heap cannot free an address: a documented failed free, and
     * the block stays counted. On a copy of the plugin library, a heap of its own, since the block
     * stays live for good.
     */
    @Test
    void anAddressAdoptedWithoutAReleaserIsAFailedFreeNotAFreedBlock() throws Exception {
        Path copy = Files.createTempDirectory("plugin-copy").resolve("libcustody_refplugin_copy.so");
        Files.copy(ReferencePlugin.path(), copy);
        try (NativePlugin plugin = NativePlugin.load(copy, null, null)) {
            MemorySegment foreign = Arena.global().allocate(16);
            Block b = Heaps.adopter(plugin.heap()).adopt(foreign.address(), 16, PluginLibrary.BUFFER);
            assertThatThrownBy(b::free).isInstanceOf(FreeFailedException.class)
                    .hasMessageContaining("without a releaser")
                    .hasCauseInstanceOf(UnsupportedOperationException.class);
            assertThat(b.isLive()).isTrue();
            assertThat(plugin.heap().stats().tag(PluginLibrary.BUFFER).liveBlocks()).isEqualTo(1);
        }
    }

    private static MemorySegment handle(NativePlugin p) throws ReflectiveOperationException {
        Field f = NativePlugin.class.getDeclaredField("handle");
        f.setAccessible(true);
        return (MemorySegment) f.get(p);
    }
}
