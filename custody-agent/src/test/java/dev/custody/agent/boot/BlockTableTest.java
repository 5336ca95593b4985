package dev.custody.agent.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class BlockTableTest {
    private final Rows rows = new Rows();
    private final BlockTable table = new BlockTable(rows);
    private final int row = rows.row(Rows.UNSAFE, "owner", "site");

    @Test
    void aBlockIsBookedAndUnbooked() {
        table.insert(0x1000, 64, row, null, 0);
        assertThat(rows.liveBytes(row)).isEqualTo(64);
        assertThat(table.find(0x1000)).isEqualTo((64L << 12) | row);
        assertThat(table.remove(0x1000)).isEqualTo(row);
        assertThat(rows.liveBytes(row)).isZero();
        assertThat(rows.allocations(row)).isEqualTo(1);
        assertThat(rows.frees(row)).isEqualTo(1);
        assertThat(table.size()).isZero();
    }

    @Test
    void aSecondFreeIsTellsItsRowAndAnUnknownAddressIsUnknown() {
        table.insert(0x2000, 32, row, null, 0);
        table.remove(0x2000);
        int second = table.remove(0x2000);
        assertThat(second).isLessThan(BlockTable.UNKNOWN);
        assertThat(BlockTable.freedRow(second)).isEqualTo(row);
        assertThat(table.remove(0x3000)).isEqualTo(BlockTable.UNKNOWN);
        // a new block at the same address is not a double free once freed
        table.insert(0x2000, 32, row, null, 0);
        assertThat(table.remove(0x2000)).isEqualTo(row);
    }

    @Test
    void aBlockOverAnAddressWhoseFreeWasNotSeenReplacesItOnTheBooks() {
        int other = rows.row(Rows.DIRECT, "o", "s");
        table.insert(0x4000, 100, row, null, 0);
        table.insert(0x4000, 200, other, null, 0);
        assertThat(rows.liveBytes(row)).isZero();
        assertThat(rows.liveBytes(other)).isEqualTo(200);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void theTableGrowsAndShrinksWithWhatIsLive() {
        long start = table.capacity();
        for (long a = 1; a <= 100_000; a++) {
            table.insert(a * 16, 16, row, null, 0);
        }
        assertThat(table.size()).isEqualTo(100_000);
        assertThat(rows.liveBytes(row)).isEqualTo(1_600_000);
        long grown = table.capacity();
        assertThat(grown).isGreaterThanOrEqualTo(200_000);
        for (long a = 1; a <= 100_000; a++) {
            assertThat(table.remove(a * 16)).isEqualTo(row);
        }
        assertThat(table.size()).isZero();
        assertThat(table.capacity()).as("shrunk from %d", grown).isLessThanOrEqualTo(start * 2);
        List<BlockTable.Live> live = new ArrayList<>();
        table.forEach(live::add);
        assertThat(live).isEmpty();
    }

    @Test
    void samplesFallByBytes() {
        Hooks.setSampleBytes(4096);
        table.resample();
        try {
            int samples = 0;
            for (long a = 1; a <= 64 * 1024; a++) { // 4 MiB in 64 B blocks: 1,024 samples expected
                if (table.insert(a * 64, 64, row, null, 4096)) {
                    samples++;
                }
            }
            assertThat(samples).as("a Poisson count of mean 1,024: within 6 standard deviations").isBetween(832, 1216);
        } finally {
            Hooks.setSampleBytes(512 * 1024);
        }
    }

    @Test
    void concurrentInsertsAndRemovesLoseNoCount() throws Exception {
        int threads = 4;
        int per = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = (t + 1L) << 32;
            all.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < per; i++) {
                    table.insert(base + i * 16L, 48, row, null, 0);
                    if (i % 2 == 0) {
                        table.remove(base + i * 16L);
                    }
                }
            }));
        }
        go.countDown();
        for (Thread t : all) {
            t.join();
        }
        assertThat(rows.allocations(row)).isEqualTo((long) threads * per);
        assertThat(rows.frees(row)).isEqualTo((long) threads * per / 2);
        assertThat(rows.liveBytes(row)).isEqualTo(48L * threads * per / 2);
        assertThat(table.size()).isEqualTo((long) threads * per / 2);
    }
}
