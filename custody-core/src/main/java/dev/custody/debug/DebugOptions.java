package dev.custody.debug;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The settings of a debug heap. Start from {@link #defaults()} and change what you need with the
 * {@code withXxx} methods, each of which returns a copy.
 *
 * <p>Defaults: a quarantine of 4096 blocks or 64 MiB, whichever is reached first; poison byte
 * {@code 0xDF}; the {@linkplain CorruptionListener#warning() warning} listener; for guarded heaps,
 * no ring file, a budget of half of {@code vm.max_map_count}, and one block in 16 guarded once the
 * budget was reached.
 *
 * @param quarantineBlocks see {@link #withQuarantine}
 * @param quarantineBytes see {@link #withQuarantine}
 * @param poison see {@link #withPoison}
 * @param listener see {@link #withListener}
 * @param ringFile see {@link #withRing}; null for none
 * @param ringCapacity see {@link #withRing}
 * @param mapShare see {@link #withMapShare}
 * @param maxMappings see {@link #withMaxMappings}; 0 for a share of {@code vm.max_map_count}
 * @param sampleEvery see {@link #withSampleEvery}
 */
public record DebugOptions(int quarantineBlocks, long quarantineBytes, byte poison, CorruptionListener listener,
                           Path ringFile, int ringCapacity, double mapShare, long maxMappings, int sampleEvery) {
    /** The byte every canary is filled with; the poison must differ from it. */
    public static final byte CANARY = (byte) 0xCA;

    private static final DebugOptions DEFAULTS = new DebugOptions(4096, 64L << 20, (byte) 0xDF,
            CorruptionListener.warning(), null, 4096, 0.5, 0, 16);

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException for any value that a {@code withXxx} method refuses
     * @throws NullPointerException if {@code listener} is null
     */
    public DebugOptions {
        if (quarantineBlocks < 0 || quarantineBytes < 0) {
            throw new IllegalArgumentException("quarantine bounds must not be negative: " + quarantineBlocks
                    + " blocks, " + quarantineBytes + " B");
        }
        if (poison == CANARY) {
            throw new IllegalArgumentException("the poison must differ from the canary byte 0x"
                    + Integer.toHexString(CANARY & 0xFF));
        }
        Objects.requireNonNull(listener, "listener");
        if (ringCapacity <= 0) {
            throw new IllegalArgumentException("ring capacity must be positive: " + ringCapacity);
        }
        if (!(mapShare > 0 && mapShare <= 1)) {
            throw new IllegalArgumentException("map share must be in (0, 1]: " + mapShare);
        }
        if (maxMappings != 0 && maxMappings < 2) {
            throw new IllegalArgumentException("a guarded block needs 2 mappings; budget: " + maxMappings);
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be at least 1: " + sampleEvery);
        }
    }

    /**
     * The defaults: a quarantine of 4096 blocks or 64 MiB, poison {@code 0xDF}, the warning
     * listener, no ring file, a ring of 4096 events, half of {@code vm.max_map_count}, every
     * allocation guarded while the budget has room.
     *
     * @return the default options
     */
    public static DebugOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Freed blocks are held (poisoned, or on inaccessible pages) until more than {@code maxBlocks}
     * blocks or {@code maxBytes} bytes are held; the oldest leaves first. While an address is held,
     * the allocator cannot hand it out again, so a raw-address double free of it is caught. A
     * quarantine of 0 blocks checks the poison at once and catches nothing later.
     *
     * @param maxBlocks the most freed blocks held
     * @param maxBytes the most freed bytes held
     * @return a copy of these options with it
     * @throws IllegalArgumentException if either bound is negative
     */
    public DebugOptions withQuarantine(int maxBlocks, long maxBytes) {
        return new DebugOptions(maxBlocks, maxBytes, poison, listener, ringFile, ringCapacity, mapShare, maxMappings,
                sampleEvery);
    }

    /**
     * The byte freed memory is filled with.
     *
     * @param value the poison byte
     * @return a copy of these options with it
     * @throws IllegalArgumentException if it equals {@link #CANARY}: a write after free of canary
     *     bytes, and an overrun of poison bytes, would go unseen
     */
    public DebugOptions withPoison(byte value) {
        return new DebugOptions(quarantineBlocks, quarantineBytes, value, listener, ringFile, ringCapacity, mapShare,
                maxMappings, sampleEvery);
    }

    /**
     * Who hears each corruption as it is found.
     *
     * @param value the listener
     * @return a copy of these options with it
     * @throws NullPointerException if {@code value} is null
     */
    public DebugOptions withListener(CorruptionListener value) {
        return new DebugOptions(quarantineBlocks, quarantineBytes, poison, value, ringFile, ringCapacity, mapShare,
                maxMappings, sampleEvery);
    }

    /**
     * Guarded heaps only: the file that receives every allocation and free as a fixed-size record,
     * through a {@code MAP_SHARED} mapping, so the last events survive a fault that kills the JVM.
     * Read it with {@link GuardRing#read(Path)}. The file is created or truncated when the heap is
     * made.
     *
     * @param file the ring file
     * @param capacity how many events the ring keeps (the oldest are overwritten)
     * @return a copy of these options with it
     * @throws IllegalArgumentException if {@code capacity} is not positive
     * @throws NullPointerException if {@code file} is null
     */
    public DebugOptions withRing(Path file, int capacity) {
        return new DebugOptions(quarantineBlocks, quarantineBytes, poison, listener,
                Objects.requireNonNull(file, "file"), capacity, mapShare, maxMappings, sampleEvery);
    }

    /**
     * Guarded heaps only: the share of {@code vm.max_map_count} the heap's mappings may use (a
     * live guarded block costs 2 mappings, a quarantined one 1). Clears an exact budget.
     *
     * @param share the share, in (0, 1]
     * @return a copy of these options with it
     * @throws IllegalArgumentException unless {@code 0 < share <= 1}
     */
    public DebugOptions withMapShare(double share) {
        return new DebugOptions(quarantineBlocks, quarantineBytes, poison, listener, ringFile, ringCapacity, share,
                0, sampleEvery);
    }

    /**
     * Guarded heaps only: an exact budget of mappings, instead of a share of {@code
     * vm.max_map_count}.
     *
     * @param mappings the budget, 2 or more
     * @return a copy of these options with it
     * @throws IllegalArgumentException if {@code mappings < 2} (one guarded block needs 2)
     */
    public DebugOptions withMaxMappings(long mappings) {
        if (mappings == 0) {
            throw new IllegalArgumentException("a guarded block needs 2 mappings; budget: 0");
        }
        return new DebugOptions(quarantineBlocks, quarantineBytes, poison, listener, ringFile, ringCapacity, mapShare,
                mappings, sampleEvery);
    }

    /**
     * Guarded heaps only: once the mapping budget was reached, guard one allocation in {@code n}
     * (while the budget has room); the others get canaries and poison from the base heap.
     *
     * @param n one allocation in this many is guarded
     * @return a copy of these options with it
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public DebugOptions withSampleEvery(int n) {
        return new DebugOptions(quarantineBlocks, quarantineBytes, poison, listener, ringFile, ringCapacity, mapShare,
                maxMappings, n);
    }
}
