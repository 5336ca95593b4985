package dev.custody.cli;

import dev.custody.Block;
import dev.custody.BlockView;
import dev.custody.Heap;
import dev.custody.Heaps;
import dev.custody.SharedBlock;
import dev.custody.Tag;
import dev.custody.UseAfterFreeException;
import dev.custody.WrongHeapException;
import dev.custody.game.Game;
import dev.custody.game.RecordingFrames;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code recordings}: the seed of a game and a mod (a car-recording injector), made real with the
 * native game of {@code custody-game}.
 *
 * <p>Each cycle the mod injects {@value #RECORDINGS} recordings into the game's path table: frames
 * tagged {@code paths}, allocated from the game's own heap (so the game's allocator files them under
 * memory id 29), handed off to the game, played, stopped and removed. The game frees each one with its
 * own allocator when its reference count reaches zero: at the stop for recordings removed while
 * playing, at the remove for the others (the order is drawn from the seed). The mod keeps its own
 * path table on a separate heap ({@code path-table}, a child of libc), one reference-counted entry
 * per path: inject and start playback retain it, stop and remove release it, so its count must equal
 * the game's at every step.
 *
 * <p>Figures per cycle. Exact: custody's live bytes per heap and tag after the cycle; the game's own
 * counters (live paths, bytes under memory ids 29 and 0) after the cycle and while every recording is
 * playing. Witnesses ({@link Witnesses}): glibc {@code mallinfo2} in-use bytes (less the JVM's own
 * mallocs when NMT is on), tolerance 4 MiB, mimalloc's committed bytes, and the native RSS, tolerance
 * 32 MiB. The JVM's own mallocs grow while the JIT compiles: measured at 0.7 to 1.7 MB over 200
 * cycles and 4.4 MB over 2,000 (with {@code -Xint} flat within 0.1 MB), with transient spikes of
 * about 4 MB. So a leak of every recording (177 KB a cycle) shows in this witness only in runs of
 * about 40 cycles or more, such as the soak's 200; the game's exact counters show it in any run.
 * {@code mallinfo2} is exact only
 * under {@code MALLOC_ARENA_MAX=1}.
 *
 * <p>With {@code --inject-leak recordings[:BYTES]}, each cycle also allocates a recording of BYTES on
 * the game's heap, tagged {@code paths}, and never hands it off or frees it until the run ends:
 * {@code game/paths B} and the game's memory id 29 grow.
 *
 * <p>With {@code --demo-mistake} the mod first allocates a recording from libc and hands it to the
 * game: custody refuses it with {@link WrongHeapException} at the hand-off, the block stays live and
 * is freed on libc, and the run continues. Without custody the game would abort when it frees it.
 * Then it makes the seed's other mistake, freeing a recording again after the game freed it
 * ({@code removeFromGame()}): refused with {@link UseAfterFreeException}, nothing reaches
 * {@code game_free} twice.
 *
 * <p>Cycles: {@code options.cycles()} when positive, else {@value #DEFAULT_CYCLES}, or
 * {@value #SOAK_CYCLES} in the soak tier.
 */
final class RecordingsScenario implements Scenario {
    static final int DEFAULT_CYCLES = 20;
    static final int SOAK_CYCLES = 200;
    static final int RECORDINGS = 8;
    private static final int FIRST_SLOT = 900;
    private static final int DEMO_SLOT = 899;
    private static final int MIN_FRAMES = 50;
    private static final int MAX_FRAMES = 2000;
    private static final Tag ENTRIES = Tag.of("path-entries");
    /** The mod's entry: int slot, int frames, long size, long the game's data address, long checksum. */
    private static final long ENTRY_BYTES = 32;
    private static final long TABLE_LIMIT = 64 * 1024;
    private static final long RSS_TOLERANCE = 32L << 20;

    @Override
    public String name() {
        return "recordings";
    }

    @Override
    public String summary() {
        return "a game's path table: recordings on the game's own heap (memory id 29), handed off, "
                + "played, and freed by the game at reference count zero";
    }

    @Override
    public void run(StressOptions options, CycleLog log) {
        int cycles = options.cyclesOr(DEFAULT_CYCLES, SOAK_CYCLES);
        SplittableRandom random = new SplittableRandom(options.seed());
        int[] frames = random.ints(RECORDINGS, MIN_FRAMES, MAX_FRAMES + 1).toArray();
        Heap table = Heaps.libc().child("path-table", TABLE_LIMIT);
        List<Recording> inFlight = new ArrayList<>();
        Tally tally = new Tally();
        List<Block> leaked = new ArrayList<>();
        long leak = options.leakPerCycle(name());
        try (StressOptions.Restore tracking = options.track(Game.heap(), table, Heaps.libc())) {
            Witnesses.notes(log);
            if (options.demoMistake()) {
                demoWrongHeap(log);
                demoFreeAfterTheGameFreed(log);
            }
            for (int c = 1; c <= cycles; c++) {
                if (leak > 0) {
                    leaked.add(keepRecording(leak));
                }
                cycle(c, frames, random, table, inFlight, tally, log);
            }
            log.note(tally.toString());
        } finally {
            for (Recording r : inFlight) {
                r.abandon();
            }
            Witnesses.freeInjected(leaked, log);
            table.close();
        }
    }

    private static void cycle(int n, int[] frames, SplittableRandom random, Heap table, List<Recording> inFlight,
                              Tally tally, CycleLog log) {
        Heap game = Game.heap();
        long handedOff0 = game.stats().tag(Game.PATHS).handedOffBytes();
        long gamePaths0 = Game.bytesInUse(Game.MEM_PATHS);
        log.begin(n);
        for (int i = 0; i < frames.length; i++) {
            inFlight.add(Recording.inject(FIRST_SLOT + i, frames[i], random.nextLong(), table, log));
        }
        for (Recording r : inFlight) {
            r.play();
        }
        long handedOff = game.stats().tag(Game.PATHS).handedOffBytes() - handedOff0;
        long gamePaths = Game.bytesInUse(Game.MEM_PATHS);
        if (gamePaths - gamePaths0 != handedOff) {
            log.fail("cycle " + n + ": the game holds " + (gamePaths - gamePaths0) + " B more under MEM_PATHS, "
                    + "custody handed off " + handedOff + " B");
        }
        log.exact("playing: game paths", Game.livePaths());
        log.exact("playing: game mem29 B", gamePaths);
        log.exact("playing: path-table B", table.stats().tag(ENTRIES).liveBytes());
        for (Recording r : inFlight) {
            tally.injected(r.size);
            if (random.nextBoolean()) {
                r.stop();
                tally.freed(r.remove(), false);
            } else {
                r.remove();
                tally.freed(r.stop(), true);
            }
        }
        inFlight.clear();
        log.books(game, Game.PATHS);
        log.books(table, ENTRIES);
        log.books(Heaps.libc(), Game.PATHS);
        log.exact("game paths", Game.livePaths());
        log.exact("game mem29 B", Game.bytesInUse(Game.MEM_PATHS));
        log.exact("game mem0 B", Game.bytesInUse(Game.MEM_DEFAULT));
        Witnesses.record(log, RSS_TOLERANCE);
        log.end();
    }

    /**
     * The injected leak ({@code --inject-leak recordings}): a recording of {@code bytes} allocated on
     * the game's heap, tagged {@code paths}, written, and never handed off or freed, as a mod would
     * that dropped a recording it failed to inject.
     */
    private static Block keepRecording(long bytes) {
        Block b = Game.heap().allocate(bytes, Game.PATHS);
        b.segment().fill((byte) 1);
        return b;
    }

    /** The seed's crash: a recording from the mod's own heap (libc) handed to the game. */
    private static void demoWrongHeap(CycleLog log) {
        Block rec = Heaps.libc().allocate(RecordingFrames.bytes(100), Game.PATHS);
        try {
            RecordingFrames.write(rec.segment(), 0);
            long checksum = Game.fnv1a(rec.segment());
            int livePaths = Game.livePaths();
            try {
                Game.inject(DEMO_SLOT, rec);
                log.fail("--demo-mistake: custody let a libc recording be handed to the game");
            } catch (WrongHeapException e) {
                log.refused("--demo-mistake caught at the hand-off: " + e.getMessage());
            }
            if (rec.isLive() && Game.fnv1a(rec.segment()) == checksum && Game.livePaths() == livePaths) {
                log.note("--demo-mistake: the recording is still live and intact on libc, and is freed there; "
                        + "without custody the game would abort when it frees it with its own allocator");
            } else {
                log.fail("--demo-mistake: the refused recording was not left live and intact");
            }
        } finally {
            if (rec.isLive()) {
                rec.free();
            }
        }
    }

    /** The seed's double free: removeFromGame() freed a recording the game had already freed. */
    private static void demoFreeAfterTheGameFreed(CycleLog log) {
        Block rec = Game.heap().allocate(RecordingFrames.bytes(100), Game.PATHS);
        RecordingFrames.write(rec.segment(), 0);
        Game.inject(DEMO_SLOT, rec);
        if (Game.removePath(DEMO_SLOT) != 0) {
            log.fail("--demo-mistake: the game did not free the removed recording");
        }
        try {
            rec.free();
            log.fail("--demo-mistake: custody let Java free a recording the game had freed");
        } catch (UseAfterFreeException e) {
            log.refused("--demo-mistake: freeing the recording again after the game freed it is refused: "
                    + e.getMessage());
        }
    }

    /**
     * One path in the game's table and the mod's reference-counted entry for it, whose count
     * follows the game's.
     */
    private static final class Recording {
        private final int slot;
        private final long size;
        private final SharedBlock entry;
        private final CycleLog log;
        private int playing;
        private boolean removed;

        private Recording(int slot, long size, SharedBlock entry, CycleLog log) {
            this.slot = slot;
            this.size = size;
            this.entry = entry;
            this.log = log;
        }

        /** Allocates the frames on the game's heap, writes them, and hands them to the game. */
        static Recording inject(int slot, int frames, long seed, Heap table, CycleLog log) {
            Block data = Game.heap().allocate(RecordingFrames.bytes(frames), Game.PATHS);
            SharedBlock entry = null;
            try {
                MemorySegment s = data.segment();
                RecordingFrames.write(s, seed);
                long checksum = Game.fnv1a(s);
                entry = table.allocateShared(ENTRY_BYTES, ENTRIES);
                try (BlockView v = entry.open()) {
                    MemorySegment e = v.segment();
                    e.set(JAVA_INT, 0, slot);
                    e.set(JAVA_INT, 4, frames);
                    e.set(JAVA_LONG, 8, data.byteSize());
                    e.set(JAVA_LONG, 16, data.address());
                    e.set(JAVA_LONG, 24, checksum);
                }
                Game.inject(slot, data);
                return new Recording(slot, RecordingFrames.bytes(frames), entry, log);
            } catch (RuntimeException e) {
                if (entry != null) {
                    entry.release();
                }
                if (data.isLive()) {
                    data.free();
                }
                throw e;
            }
        }

        /** The game retains the path for a playback, and so does the mod's entry. */
        void play() {
            long expected;
            try (BlockView v = entry.open()) {
                expected = v.segment().get(JAVA_LONG, 24);
            }
            if (Game.checksum(slot) != expected) {
                log.fail("slot " + slot + ": the game plays other bytes than the mod wrote");
            }
            int count = Game.startPlayback(slot);
            entry.retain();
            playing++;
            agree(count);
        }

        /** Stops a playback; true if the game freed the path. */
        boolean stop() {
            int count = Game.stopPlayback(slot);
            entry.release();
            playing--;
            return agree(count);
        }

        /** Removes the path from the game's table; true if the game freed it. */
        boolean remove() {
            int count = Game.removePath(slot);
            entry.release();
            removed = true;
            return agree(count);
        }

        /** Ends what a failed cycle left: the remaining playbacks, then the table's reference. */
        void abandon() {
            while (playing > 0) {
                stop();
            }
            if (!removed) {
                remove();
            }
        }

        private boolean agree(int gameCount) {
            if (gameCount != entry.refCount()) {
                log.fail("slot " + slot + ": the game counts " + gameCount + " references, the mod's table "
                        + entry.refCount());
            }
            return gameCount == 0;
        }
    }

    /** What the run did, for its closing note. */
    private static final class Tally {
        private long recordings;
        private long bytes;
        private long freedAtStop;
        private long freedAtRemove;

        void injected(long size) {
            recordings++;
            bytes += size;
        }

        void freed(boolean freed, boolean atStop) {
            if (freed && atStop) {
                freedAtStop++;
            } else if (freed) {
                freedAtRemove++;
            }
        }

        @Override
        public String toString() {
            return recordings + " recordings (" + bytes + " B) handed off to the game; the game freed " + freedAtStop
                    + " when their playback stopped after removal and " + freedAtRemove + " at removal";
        }
    }
}
