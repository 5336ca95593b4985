package dev.custody;

import java.util.ArrayList;
import java.util.List;

/**
 * A quiet JVM for the mallinfo2 witness: nothing but custody runs, so glibc's arena moves only
 * with what custody allocates. Prints {@code before=N after=M}.
 * Modes: {@code cycles N} (allocate and free N blocks), {@code leak N} (allocate N blocks of
 * 1,000 B and keep them: the negative control), {@code property N} (N random sequences of the
 * misuse property, seeded, after as many again to warm up).
 */
public final class WitnessChild {
    private WitnessChild() {
    }

    public static void main(String[] args) throws Throwable {
        Heap libc = Heaps.libc();
        Tag tag = Tag.of("witness");
        int n = Integer.parseInt(args[1]);
        if (args[0].equals("property")) {
            HeapPropertiesTest p = new HeapPropertiesTest();
            java.util.Random r = new java.util.Random(Long.parseLong(args[2]));
            for (int i = 0; i < Math.max(n, 500); i++) { // warm-up: the JIT and class loading malloc too
                p.misuseGetsItsExceptionAndTheBooksEqualTheModel(HeapPropertiesTest.randomOps(r));
            }
            long before = Witness.settled();
            for (int i = 0; i < n; i++) {
                p.misuseGetsItsExceptionAndTheBooksEqualTheModel(HeapPropertiesTest.randomOps(r));
            }
            long after = Witness.settled();
            System.out.println("before=" + before + " after=" + after + " live=0");
            return;
        }
        MallinfoWitnessTest.cycles(libc, tag, 50_000); // warm-up: the JIT and class loading malloc too
        long before = Witness.settled();
        List<Block> kept = new ArrayList<>();
        if (args[0].equals("cycles")) {
            MallinfoWitnessTest.cycles(libc, tag, n);
        } else {
            for (int i = 0; i < n; i++) {
                kept.add(libc.allocate(1000, tag));
            }
        }
        long after = Witness.settled();
        System.out.println("before=" + before + " after=" + after + " live=" + libc.stats().tag(tag).liveBlocks());
        kept.forEach(Block::free);
    }
}
