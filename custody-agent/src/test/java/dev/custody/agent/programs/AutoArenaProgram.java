package dev.custody.agent.programs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** An Arena.ofAuto segment, reported live while held, then dropped and collected. */
public final class AutoArenaProgram {
    public static void main(String[] args) throws Exception {
        MemorySegment segment = Arena.ofAuto().allocate(4096); // AUTO-ALLOC
        segment.set(ValueLayout.JAVA_LONG, 0, 42L);
        Programs.printReport("held");
        System.out.println("value " + segment.get(ValueLayout.JAVA_LONG, 0));
        segment = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && Programs.reportNow().contains("\"kind\":\"auto\",\"site\"") 
                && !Programs.reportNow().contains("\"closed\":true")) {
            Programs.collect();
        }
        Programs.printReport("collected");
    }
}
