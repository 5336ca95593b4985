package dev.custody.internal;

import dev.custody.debug.GuardRing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The guard ring's file format, its writer and its parser. The file is mapped {@code MAP_SHARED}
 * ({@link FileChannel#map} in {@code READ_WRITE} mode), so each record is in the page cache once
 * written and survives the process being killed.
 *
 * <p>Layout, little-endian: a 64-byte header (magic, version, record size, capacity, the next
 * sequence number at offset 24), then {@code capacity} records of 256 bytes. A record's first
 * long is its sequence number plus one, written last with release semantics: 0 marks a slot never
 * written or being rewritten, so a torn record is skipped.
 */
public final class RingFile implements AutoCloseable {
    private static final long MAGIC = 0x474E_4952_5954_5355L; // "USTYRING" read little-endian
    private static final int VERSION = 1;
    private static final int HEADER = 64;
    private static final int RECORD = 256;
    private static final long NEXT = 24;
    private static final int TEXT = 40;
    private static final int SITE = 88;
    // record fields
    private static final long COMMIT = 0;
    private static final long TIME = 8;
    private static final long KIND = 16;
    private static final long GUARDED = 20;
    private static final long SIZE = 24;
    private static final long ADDRESS = 32;
    private static final long THREAD_ID = 40;
    private static final long HEAP = 48;
    private static final long TAG = HEAP + TEXT;
    private static final long THREAD = TAG + TEXT;
    private static final long SITE_AT = THREAD + TEXT;
    private static final String[] KINDS = {"allocate", "free", "unmap"};
    static final int ALLOCATE = 0;
    static final int FREE = 1;
    static final int UNMAP = 2;

    private static final VarHandle LONG = JAVA_LONG.varHandle();
    /** The parser reads a heap array, whose bytes are not 8-aligned. */
    private static final ValueLayout.OfLong JAVA_LONG_U = JAVA_LONG.withByteAlignment(1);
    private static final ValueLayout.OfInt JAVA_INT_U = JAVA_INT.withByteAlignment(1);

    private final Arena arena;
    private final MemorySegment map;
    private final int capacity;

    private RingFile(Arena arena, MemorySegment map, int capacity) {
        this.arena = arena;
        this.map = map;
        this.capacity = capacity;
    }

    /** Creates or truncates the file and maps it. */
    static RingFile create(Path file, int capacity) {
        long length = HEADER + (long) capacity * RECORD;
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            MemorySegment map = ch.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
            map.set(JAVA_LONG, 0, MAGIC);
            map.set(JAVA_INT, 8, VERSION);
            map.set(JAVA_INT, 12, RECORD);
            map.set(JAVA_INT, 16, capacity);
            return new RingFile(arena, map, capacity);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("cannot create the guard ring file " + file, e);
        }
    }

    /** Appends one event; safe from any thread. */
    void write(int kind, boolean guarded, String heap, String tag, long size, long address, String site) {
        long seq = (long) LONG.getAndAdd(map, NEXT, 1L);
        long at = HEADER + (seq % capacity) * RECORD;
        LONG.setVolatile(map, at + COMMIT, 0L);
        Thread t = Thread.currentThread();
        map.set(JAVA_LONG, at + TIME, System.currentTimeMillis());
        map.set(JAVA_INT, at + KIND, kind);
        map.set(JAVA_INT, at + GUARDED, guarded ? 1 : 0);
        map.set(JAVA_LONG, at + SIZE, size);
        map.set(JAVA_LONG, at + ADDRESS, address);
        map.set(JAVA_LONG, at + THREAD_ID, t.threadId());
        text(at + HEAP, TEXT, heap);
        text(at + TAG, TEXT, tag);
        text(at + THREAD, TEXT, t.getName());
        text(at + SITE_AT, SITE, site);
        LONG.setRelease(map, at + COMMIT, seq + 1);
    }

    private void text(long at, int field, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(b.length, field - 1);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, map, at, n);
        map.asSlice(at + n, field - n).fill((byte) 0);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Parses a ring file: its events, oldest first. */
    public static List<GuardRing.Event> read(Path file) throws IOException {
        MemorySegment s = MemorySegment.ofArray(Files.readAllBytes(file));
        if (s.byteSize() < HEADER || s.get(JAVA_LONG_U, 0) != MAGIC) {
            throw new IllegalArgumentException(file + " is not a custody guard ring (bad magic)");
        }
        int version = s.get(JAVA_INT_U, 8);
        int record = s.get(JAVA_INT_U, 12);
        int cap = s.get(JAVA_INT_U, 16);
        if (version != VERSION || record != RECORD || cap <= 0 || s.byteSize() < HEADER + (long) cap * RECORD) {
            throw new IllegalArgumentException(file + " is not a custody guard ring of version " + VERSION
                    + " (version " + version + ", record " + record + " B, capacity " + cap + ", " + s.byteSize() + " B)");
        }
        List<GuardRing.Event> out = new ArrayList<>();
        for (int i = 0; i < cap; i++) {
            long at = HEADER + (long) i * RECORD;
            long commit = s.get(JAVA_LONG_U, at + COMMIT);
            int kind = s.get(JAVA_INT_U, at + KIND);
            if (commit == 0 || kind < 0 || kind >= KINDS.length) {
                continue;
            }
            out.add(new GuardRing.Event(commit - 1, Instant.ofEpochMilli(s.get(JAVA_LONG_U, at + TIME)), KINDS[kind],
                    s.get(JAVA_INT_U, at + GUARDED) != 0, text(s, at + HEAP, TEXT), text(s, at + TAG, TEXT),
                    s.get(JAVA_LONG_U, at + SIZE), s.get(JAVA_LONG_U, at + ADDRESS), s.get(JAVA_LONG_U, at + THREAD_ID),
                    text(s, at + THREAD, TEXT), text(s, at + SITE_AT, SITE)));
        }
        out.sort(Comparator.comparingLong(GuardRing.Event::sequence));
        return out;
    }

    private static String text(MemorySegment s, long at, int field) {
        byte[] b = s.asSlice(at, field).toArray(ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }
}
