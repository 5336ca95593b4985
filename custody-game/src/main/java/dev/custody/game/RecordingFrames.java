package dev.custody.game;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The frames of a car recording, laid out as GTA SA's {@code CVehicleStateEachFrame} (32 bytes):
 * time, velocity, orientation, controls and position.
 */
public final class RecordingFrames {
    /** One frame. */
    public static final StructLayout FRAME = MemoryLayout.structLayout(
            JAVA_INT.withName("time"),
            MemoryLayout.sequenceLayout(3, JAVA_SHORT).withName("velocity"),
            MemoryLayout.sequenceLayout(3, JAVA_BYTE).withName("right"),
            MemoryLayout.sequenceLayout(3, JAVA_BYTE).withName("top"),
            JAVA_BYTE.withName("steer"),
            JAVA_BYTE.withName("gas"),
            JAVA_BYTE.withName("brake"),
            JAVA_BYTE.withName("handbrake"),
            MemoryLayout.sequenceLayout(3, JAVA_FLOAT).withName("position"));

    private static final VarHandle TIME = FRAME.varHandle(MemoryLayout.PathElement.groupElement("time"));
    private static final VarHandle GAS = FRAME.varHandle(MemoryLayout.PathElement.groupElement("gas"));
    private static final VarHandle POSITION = FRAME.varHandle(MemoryLayout.PathElement.groupElement("position"),
            MemoryLayout.PathElement.sequenceElement());

    private RecordingFrames() {
    }

    /**
     * The bytes of a recording of {@code frames} frames.
     *
     * @param frames how many frames
     * @return the size in bytes
     */
    public static long bytes(int frames) {
        return frames * FRAME.byteSize();
    }

    /**
     * Writes a drive of {@code segment.byteSize() / 32} frames: time every 100 ms, a random walk
     * of positions from {@code seed}, and every other byte random too, so a checksum sees them all.
     *
     * @param segment the recording's memory, a whole number of frames
     * @param seed the random walk's seed
     * @throws IllegalArgumentException if the segment is not a whole number of frames
     */
    public static void write(MemorySegment segment, long seed) {
        if (segment.byteSize() % FRAME.byteSize() != 0) {
            throw new IllegalArgumentException("a recording of " + segment.byteSize() + " B is not a whole number of "
                    + FRAME.byteSize() + "-byte frames");
        }
        SplittableRandom random = new SplittableRandom(seed);
        long frames = segment.byteSize() / FRAME.byteSize();
        float x = 2488.6f;
        float y = -1666.8f;
        for (long i = 0; i < frames; i++) {
            long base = i * FRAME.byteSize();
            for (long b = 0; b < FRAME.byteSize(); b++) {
                segment.set(JAVA_BYTE, base + b, (byte) random.nextInt(256));
            }
            x += (float) random.nextDouble(-1, 1);
            y += (float) random.nextDouble(-1, 1);
            TIME.set(segment, base, (int) (i * 100));
            GAS.set(segment, base, (byte) 127);
            POSITION.set(segment, base, 0L, x);
            POSITION.set(segment, base, 1L, y);
            POSITION.set(segment, base, 2L, 13.5f);
        }
    }
}
