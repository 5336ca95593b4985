package dev.custody.agent.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HooksTest {
    @Test
    void aSiteRidesInTheSizeAndComesOutWhole() {
        int site = Sites.intern("a.B.c(B.java:1)", Sites.UNSAFE, "a.B (jar b.jar)");
        long carried = Hooks.withSite(4096, site);
        assertThat(carried).isNotEqualTo(4096);
        assertThat(Hooks.siteIn(carried)).isEqualTo(site);
        assertThat(Hooks.sizeIn(carried, site)).isEqualTo(4096);
    }

    @Test
    void aPlainSizeCarriesNoSite() {
        for (long size : new long[] {0, 1, 64, 1L << 35, Long.MAX_VALUE, -1}) {
            assertThat(Hooks.siteIn(size)).as("size %d", size).isZero();
            assertThat(Hooks.sizeIn(size, 0)).isEqualTo(size);
        }
    }

    @Test
    void aSizeTooLargeToCarryASiteIsPassedAsItIs() {
        int site = Sites.intern("a.B.d(B.java:2)", Sites.UNSAFE, "a.B (jar b.jar)");
        assertThat(Hooks.withSite(1L << 40, site)).isEqualTo(1L << 40);
        assertThat(Hooks.withSite(-5, site)).isEqualTo(-5);
    }

    @Test
    void onlyAnUnsafeSiteIsTakenOutOfASize() {
        int direct = Sites.intern("a.B.e(B.java:3)", Sites.DIRECT, null);
        long forged = 0x6000_0000_0000_0000L | ((long) direct << 36) | 64;
        assertThat(Hooks.siteIn(forged)).isZero();
    }

    @Test
    void sampleIntervalsAverageTheMean() {
        Hooks.setSampleBytes(1000);
        try {
            long sum = 0;
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                sum += Hooks.nextSampleInterval();
            }
            assertThat(sum / (double) n).isBetween(980.0, 1020.0);
        } finally {
            Hooks.setSampleBytes(512 * 1024);
        }
        Hooks.setSampleBytes(0);
        try {
            assertThat(Hooks.nextSampleInterval()).isEqualTo(Long.MAX_VALUE);
        } finally {
            Hooks.setSampleBytes(512 * 1024);
        }
    }
}
