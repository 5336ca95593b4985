package dev.custody.game;

import dev.custody.Block;
import dev.custody.Figures;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.Tag;
import dev.custody.UnknownBlockException;
import dev.custody.UseAfterFreeException;
import dev.custody.WrongHeapException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The game library through custody: the hint, the recording life cycle, and the refusals. */
class GameTest {
    private static final Tag TEXTURES = Tag.of("textures");
    private static final int SLOT = 900;

    private final Heap game = Game.heap();
    private long paths0;
    private long blocks0;
    private long other0;
    private int live0;

    @BeforeEach
    void baseline() {
        paths0 = Game.bytesInUse(Game.MEM_PATHS);
        blocks0 = Game.blocksInUse(Game.MEM_PATHS);
        other0 = Game.bytesInUse(Game.MEM_DEFAULT);
        live0 = Game.livePaths();
    }

    /** Every test leaves the game's own counters where it found them. */
    @AfterEach
    void gameCountersAreBack() {
        drainAfterAFailure(SLOT);
        assertThat(Game.bytesInUse(Game.MEM_PATHS)).isEqualTo(paths0);
        assertThat(Game.blocksInUse(Game.MEM_PATHS)).isEqualTo(blocks0);
        assertThat(Game.bytesInUse(Game.MEM_DEFAULT)).isEqualTo(other0);
        assertThat(Game.livePaths()).isEqualTo(live0);
    }

    /** Ends what a failed test left in a slot, so that one failure does not fail the tests after it. */
    private static void drainAfterAFailure(int slot) {
        while (Game.refCount(slot) > 0) {
            try {
                Game.stopPlayback(slot);
            } catch (GameException notPlaying) {
                Game.removePath(slot);
            }
        }
    }

    @Test
    void theHeapPassesThePathsTagAsMemoryId29AndOtherTagsAs0() {
        Figures paths = game.stats().tag(Game.PATHS);
        Figures textures = game.stats().tag(TEXTURES);
        List<Block> blocks = new ArrayList<>();
        long pathBytes = 0;
        long otherBytes = 0;
        for (int i = 1; i <= 20; i++) {
            blocks.add(game.allocate(i * 100L, Game.PATHS));
            pathBytes += i * 100L;
            blocks.add(game.allocate(i * 7L, TEXTURES));
            otherBytes += i * 7L;
        }
        try {
            long custodyPaths = game.stats().tag(Game.PATHS).liveBytes() - paths.liveBytes();
            long custodyOther = game.stats().tag(TEXTURES).liveBytes() - textures.liveBytes();
            assertThat(custodyPaths).isEqualTo(pathBytes);
            assertThat(Game.bytesInUse(Game.MEM_PATHS) - paths0).isEqualTo(custodyPaths);
            assertThat(Game.blocksInUse(Game.MEM_PATHS) - blocks0).isEqualTo(20);
            assertThat(custodyOther).isEqualTo(otherBytes);
            assertThat(Game.bytesInUse(Game.MEM_DEFAULT) - other0).isEqualTo(custodyOther);
            for (int id = 1; id < Game.MEMORY_IDS; id++) {
                if (id != Game.MEM_PATHS) {
                    assertThat(Game.bytesInUse(id)).as("memory id %d", id).isZero();
                }
            }
        } finally {
            blocks.forEach(Block::free);
        }
        assertThat(game.stats().tag(Game.PATHS).liveBytes()).isEqualTo(paths.liveBytes());
        assertThat(game.stats().tag(TEXTURES).liveBytes()).isEqualTo(textures.liveBytes());
    }

    @Test
    void aRecordingIsHandedOffPlayedAndFreedByTheGameAtZero() {
        Figures before = game.stats().tag(Game.PATHS);
        Block rec = game.allocate(RecordingFrames.bytes(500), Game.PATHS);
        MemorySegment frames = rec.segment();
        RecordingFrames.write(frames, 1);
        long javaChecksum = Game.fnv1a(frames);
        long size = rec.byteSize();
        assertThat(Game.bytesInUse(Game.MEM_PATHS) - paths0).isEqualTo(size);

        Game.inject(SLOT, rec);

        assertThat(rec.isLive()).isFalse();
        assertThatThrownBy(rec::segment).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(rec::free).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(() -> frames.get(JAVA_INT, 0)).isInstanceOf(IllegalStateException.class);
        Figures after = game.stats().tag(Game.PATHS);
        assertThat(after.liveBytes()).isEqualTo(before.liveBytes());
        assertThat(after.handedOffBlocks() - before.handedOffBlocks()).isEqualTo(1);
        assertThat(after.handedOffBytes() - before.handedOffBytes()).isEqualTo(size);
        assertThat(after.frees()).isEqualTo(before.frees());

        // The game holds the bytes Java wrote, in its own books under MEM_PATHS.
        assertThat(Game.checksum(SLOT)).isEqualTo(javaChecksum);
        assertThat(Game.livePaths()).isEqualTo(live0 + 1);
        assertThat(Game.bytesInUse(Game.MEM_PATHS) - paths0).isEqualTo(size);
        assertThat(Game.refCount(SLOT)).isEqualTo(1);

        assertThat(Game.startPlayback(SLOT)).isEqualTo(2);
        assertThat(Game.stopPlayback(SLOT)).isEqualTo(1);
        assertThat(Game.bytesInUse(Game.MEM_PATHS) - paths0).isEqualTo(size);
        assertThat(Game.removePath(SLOT)).isZero();

        assertThat(Game.refCount(SLOT)).isZero();
        assertThat(Game.livePaths()).isEqualTo(live0);
        assertThat(Game.bytesInUse(Game.MEM_PATHS)).isEqualTo(paths0);
        assertThat(Game.blocksInUse(Game.MEM_PATHS)).isEqualTo(blocks0);
    }

    @Test
    void aPathRemovedDuringPlaybackIsFreedWhenThePlaybackStops() {
        Block rec = game.allocate(RecordingFrames.bytes(64), Game.PATHS);
        RecordingFrames.write(rec.segment(), 2);
        Game.inject(SLOT, rec);
        assertThat(Game.startPlayback(SLOT)).isEqualTo(2);
        assertThat(Game.startPlayback(SLOT)).isEqualTo(3);
        assertThat(Game.removePath(SLOT)).isEqualTo(2);
        assertThatThrownBy(() -> Game.startPlayback(SLOT)).isInstanceOf(GameException.class)
                .hasMessageContaining("removed");
        assertThat(Game.stopPlayback(SLOT)).isEqualTo(1);
        assertThat(Game.bytesInUse(Game.MEM_PATHS) - paths0).isEqualTo(rec.byteSize());
        assertThat(Game.stopPlayback(SLOT)).isZero();
        assertThat(Game.livePaths()).isEqualTo(live0);
    }

    @Test
    void javaCanNeverFreeTheRecordingASecondTime() {
        Block rec = game.allocate(RecordingFrames.bytes(10), Game.PATHS);
        long address = rec.address();
        Game.inject(SLOT, rec);
        assertThatThrownBy(rec::free).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(() -> game.free(rec)).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(() -> rec.handOff(game)).isInstanceOf(UseAfterFreeException.class);
        assertThat(Game.removePath(SLOT)).isZero();

        // The seed's removeFromGame() freed what the game had already freed; here nothing reaches
        // game_free a second time (which would abort this JVM).
        assertThatThrownBy(rec::free).isInstanceOf(UseAfterFreeException.class);
        assertThatThrownBy(() -> game.free(MemorySegment.ofAddress(address)))
                .isInstanceOf(UnknownBlockException.class);
    }

    @Test
    void aLibcBlockHandedToTheGameIsRefusedAtTheHandOffAndStaysLive() {
        Heap libc = Heaps.libc();
        Figures before = libc.stats().tag(Game.PATHS);
        Block rec = libc.allocate(RecordingFrames.bytes(20), Game.PATHS);
        RecordingFrames.write(rec.segment(), 3);
        long checksum = Game.fnv1a(rec.segment());

        assertThatThrownBy(() -> Game.inject(SLOT, rec)).isInstanceOf(WrongHeapException.class)
                .hasMessageContaining("libc").hasMessageContaining("game");

        assertThat(rec.isLive()).isTrue();
        assertThat(Game.fnv1a(rec.segment())).isEqualTo(checksum);
        assertThat(Game.refCount(SLOT)).isZero();
        Figures refused = libc.stats().tag(Game.PATHS);
        assertThat(refused.liveBytes() - before.liveBytes()).isEqualTo(rec.byteSize());
        assertThat(refused.handedOffBlocks()).isEqualTo(before.handedOffBlocks());
        rec.free();
        assertThat(libc.stats().tag(Game.PATHS).liveBytes()).isEqualTo(before.liveBytes());
    }

    /**
     * Threads inject, play, stop and remove their own paths while all of them also play one shared
     * path; the game's mutex keeps its table and counters exact, and custody's books follow.
     */
    @Test
    void concurrentRecordingsOnSeveralThreadsLeaveTheGameCountersExact() throws Exception {
        int threads = 4;
        int rounds = "soak".equals(System.getProperty("custody.tier", "fast")) ? 100_000 : 500;
        Figures before = game.stats().tag(Game.PATHS);
        Block shared = game.allocate(RecordingFrames.bytes(8), Game.PATHS);
        Game.inject(SLOT, shared);
        List<Future<Long>> handedOff = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                int slot = SLOT + 1 + t;
                handedOff.add(pool.submit(() -> playRounds(slot, rounds)));
            }
        }
        long bytes = RecordingFrames.bytes(8);
        for (Future<Long> f : handedOff) {
            bytes += f.get();
        }
        assertThat(Game.refCount(SLOT)).isEqualTo(1);
        assertThat(Game.removePath(SLOT)).isZero();
        Figures after = game.stats().tag(Game.PATHS);
        assertThat(after.handedOffBlocks() - before.handedOffBlocks()).isEqualTo(1 + (long) threads * rounds);
        assertThat(after.handedOffBytes() - before.handedOffBytes()).isEqualTo(bytes);
        assertThat(after.liveBytes()).isEqualTo(before.liveBytes());
    }

    private long playRounds(int slot, int rounds) {
        long bytes = 0;
        for (int r = 0; r < rounds; r++) {
            Game.startPlayback(SLOT);
            Block rec = game.allocate(RecordingFrames.bytes(1 + r % 50), Game.PATHS);
            RecordingFrames.write(rec.segment(), r);
            bytes += rec.byteSize();
            Game.inject(slot, rec);
            Game.startPlayback(slot);
            if (r % 2 == 0) {
                Game.stopPlayback(slot);
                assertThat(Game.removePath(slot)).isZero();
            } else {
                Game.removePath(slot);
                assertThat(Game.stopPlayback(slot)).isZero();
            }
            Game.stopPlayback(SLOT);
        }
        return bytes;
    }

    @Test
    void theGameRefusesBadSlotsAndOperationsWithSpecificErrors() {
        assertThatThrownBy(() -> Game.startPlayback(-1)).isInstanceOf(GameException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> Game.refCount(Game.PATH_SLOTS)).isInstanceOf(GameException.class)
                .satisfies(e -> assertThat(((GameException) e).code()).isEqualTo(GameException.SLOT));
        assertThat(Game.refCount(Game.PATH_SLOTS - 1)).as("the last slot of game.h's table").isZero();
        assertThatThrownBy(() -> Game.removePath(SLOT)).isInstanceOf(GameException.class)
                .hasMessageContaining("no path");
        assertThatThrownBy(() -> Game.checksum(SLOT)).isInstanceOf(GameException.class);
        assertThatThrownBy(() -> Game.injectPath(SLOT, 0, 16)).isInstanceOf(GameException.class)
                .hasMessageContaining("NULL");

        Block first = game.allocate(32, Game.PATHS);
        Game.inject(SLOT, first);
        assertThatThrownBy(() -> Game.stopPlayback(SLOT)).isInstanceOf(GameException.class)
                .hasMessageContaining("no playback");
        Block second = game.allocate(64, Game.PATHS);
        assertThatThrownBy(() -> Game.inject(SLOT, second)).isInstanceOf(GameException.class)
                .hasMessageContaining("already holds");
        // The refused block had left Java at the hand-off; the binding freed it on the game's heap.
        assertThat(second.isLive()).isFalse();
        assertThat(Game.bytesInUse(Game.MEM_PATHS) - paths0).isEqualTo(32);
        assertThat(Game.removePath(SLOT)).isZero();
        assertThatThrownBy(() -> Game.removePath(SLOT)).isInstanceOf(GameException.class);
    }
}
