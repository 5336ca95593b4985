package dev.custody.agent.programs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** Never closes an Arena.ofShared, with 3 segments of 1000 B and one of 24 B in it; closes a confined arena 10 times. */
public final class SharedArenaProgram {
    static final List<MemorySegment> KEPT = new ArrayList<>();

    public static void main(String[] args) {
        Arena shared = Arena.ofShared(); // ARENA-CREATE
        for (int i = 0; i < 3; i++) {
            KEPT.add(shared.allocate(1000)); // ARENA-ALLOC
        }
        KEPT.add(shared.allocate(24, 8)); // ARENA-ALLOC-24
        for (int i = 0; i < 10; i++) {
            try (Arena confined = Arena.ofConfined()) { // CONFINED-CREATE
                confined.allocate(64).set(java.lang.foreign.ValueLayout.JAVA_INT, 0, i); // CONFINED-ALLOC
            }
        }
        System.out.println("segments " + KEPT.size());
    }
}
