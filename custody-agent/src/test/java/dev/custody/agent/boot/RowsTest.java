package dev.custody.agent.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowsTest {
    @Test
    void aRowIsOnePerKindOwnerAndSite() {
        Rows rows = new Rows();
        int a = rows.row(Rows.DIRECT, "o", "s");
        assertThat(rows.row(Rows.DIRECT, "o", "s")).isEqualTo(a);
        assertThat(rows.row(Rows.UNSAFE, "o", "s")).isNotEqualTo(a);
        assertThat(rows.row(Rows.DIRECT, "o", "t")).isNotEqualTo(a);
    }

    @Test
    void thePeakIsTheHighestLiveFigure() {
        Rows rows = new Rows();
        int r = rows.row(Rows.UNSAFE, "o", "s");
        rows.allocated(r, 100);
        rows.allocated(r, 50);
        rows.freed(r, 100);
        rows.allocated(r, 20);
        assertThat(rows.liveBytes(r)).isEqualTo(70);
        assertThat(rows.peakBytes(r)).isEqualTo(150);
    }

    @Test
    void pastTheCapNewSitesShareTheirKindsOtherSitesRow() {
        Rows rows = new Rows();
        int last = -1;
        for (int i = 0; i < Rows.MAX_ROWS * 2; i++) {
            last = rows.row(Rows.UNSAFE, "o", "site " + i);
        }
        assertThat(rows.count()).isLessThanOrEqualTo(Rows.MAX_ROWS);
        assertThat(rows.site(last)).isEqualTo(Rows.OTHER_SITES);
        assertThat(rows.kind(last)).isEqualTo(Rows.UNSAFE);
        assertThat(rows.row(Rows.DIRECT, "o", "yet another")).isNotEqualTo(last);
        assertThat(rows.site(rows.row(Rows.DIRECT, "o", "yet another"))).isEqualTo(Rows.OTHER_SITES);
    }
}
