package dev.custody.internal;

import dev.custody.Heaps;
import dev.custody.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quarantine's queue of segments against a plain list doing the same: first in, first out
 * under both bounds, across many segments, with finds, copies and drains between.
 */
class QuarantineTest {
    private static final AbstractHeap HEAP = (AbstractHeap) Heaps.libc();
    private static final Tag TAG = Tag.of("quarantine-test");
    /** Addresses no allocator hands out: these entries are never memory. */
    private static final long BASE = 0xFFFF_8000_0000_0000L;

    private static Quarantine.Entry entry(int n, long length) {
        long address = BASE + n * 64L;
        BlockImpl b = new BlockImpl(HEAP, address, address, 16, TAG, 0, false);
        return new Quarantine.Entry(b, DebugLayout.mapping(address, length, 0, 0), "t" + n);
    }

    @Test
    void itHoldsTheNewestWithinBothBoundsAndLetsTheOldestGoFirst() {
        SplittableRandom random = new SplittableRandom(12);
        int maxBlocks = 3 * Quarantine.SEGMENT + 17;
        long maxBytes = 700L * 100;
        Quarantine q = new Quarantine(maxBlocks, maxBytes);
        List<Quarantine.Entry> model = new ArrayList<>();
        long bytes = 0;
        for (int n = 0; n < 20 * Quarantine.SEGMENT; n++) {
            Quarantine.Entry e = entry(n, 1 + random.nextInt(200));
            model.add(e);
            bytes += e.layout().length();
            List<Quarantine.Entry> expectedOut = new ArrayList<>();
            while (!model.isEmpty() && (model.size() > maxBlocks || bytes > maxBytes)) {
                Quarantine.Entry old = model.removeFirst();
                bytes -= old.layout().length();
                expectedOut.add(old);
            }
            assertThat(q.add(e)).containsExactlyElementsOf(expectedOut);
            assertThat(q.size()).isEqualTo(model.size());
            if (n % 97 == 0) {
                assertThat(q.entries()).containsExactlyElementsOf(model);
                Quarantine.Entry some = model.get(random.nextInt(model.size()));
                assertThat(q.find(some.block().address)).isSameAs(some);
                assertThat(q.find(BASE - 64)).isNull();
            }
            if (n % 1500 == 1499) {
                assertThat(q.drain()).containsExactlyElementsOf(model);
                model.clear();
                bytes = 0;
                assertThat(q.size()).isZero();
                assertThat(q.entries()).isEmpty();
            }
        }
    }

    @Test
    void aQuarantineOfNoBlocksLetsEachEntryGoAtOnce() {
        Quarantine q = new Quarantine(0, 0);
        for (int n = 0; n < 2 * Quarantine.SEGMENT + 3; n++) {
            Quarantine.Entry e = entry(n, 8);
            assertThat(q.add(e)).containsExactly(e);
            assertThat(q.size()).isZero();
        }
        assertThat(q.drain()).isEmpty();
    }
}
