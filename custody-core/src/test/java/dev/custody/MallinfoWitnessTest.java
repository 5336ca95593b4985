package dev.custody;

import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent witness of custody's books: glibc's mallinfo2 (uordblks + hblkhd), exact under
 * MALLOC_ARENA_MAX=1, read in a quiet child JVM where only custody allocates.
 */
class MallinfoWitnessTest {

    static void cycles(Heap heap, Tag tag, int n) {
        for (int i = 0; i < n; i++) {
            Block b = heap.allocate(16 + (i % 64) * 16, tag);
            b.segment().set(ValueLayout.JAVA_INT, 0, i);
            b.free();
        }
    }

    private static long[] run(String mode, int n, String... more) throws Exception {
        String[] args = new String[2 + more.length];
        args[0] = mode;
        args[1] = Integer.toString(n);
        System.arraycopy(more, 0, args, 2, more.length);
        ChildJvm.Result r = ChildJvm.run(WitnessChild.class, args);
        assertThat(r.exitCode()).as("child stderr:\n%s", r.stderr()).isZero();
        Matcher m = Pattern.compile("before=(\\d+) after=(\\d+) live=(\\d+)").matcher(r.stdout());
        assertThat(m.find()).as("child output: %s", r.stdout()).isTrue();
        long[] v = {Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))};
        System.out.printf("mallinfo2 witness, %s %d: before %d B, after %d B, delta %+d B (tolerance %d B)%n",
                mode, n, v[0], v[1], v[1] - v[0], Witness.TOLERANCE);
        return v;
    }

    @Test
    void mallinfoReturnsToBaselineAfterAllocateFreeCycles() throws Exception {
        long[] v = run("cycles", Allocators.count(100_000, 1_000_000));
        // One-sided: a leak only grows the arena; the JVM may give back compiler memory meanwhile.
        assertThat(v[1] - v[0]).isLessThan(Witness.TOLERANCE);
        assertThat(v[2]).isZero();
    }

    @Test
    void mallinfoReturnsToBaselineAfterTheMisuseProperty() throws Exception {
        // 300 random sequences (up to 60 steps, blocks up to 64 KiB) of the misuse property: a path
        // that leaked its blocks would leave megabytes behind.
        long seed = new java.util.Random().nextLong();
        long[] v = run("property", Allocators.count(300, 3_000), Long.toString(seed));
        assertThat(v[1] - v[0]).as("seed %d", seed).isLessThan(Witness.TOLERANCE);
    }

    @Test
    void theWitnessSeesARealLeak() throws Exception {
        // The negative control: a witness that never moved would pass the test above.
        long[] v = run("leak", 4000);
        // the same tolerance both ways: the child JVM's own mallocs may be freed meanwhile too (CI once read 3.93 MB)
        assertThat(v[1] - v[0]).as("4,000 kept blocks of 1,000 B")
                .isBetween(4_000_000L - Witness.TOLERANCE, 4_000_000L + Witness.TOLERANCE);
        assertThat(v[2]).isEqualTo(4000);
    }
}
