package dev.custody.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LeakInjectionTest {
    @Test
    void theAmountDefaultsToOneMebibyteAndForRemoteToPins() {
        assertThat(LeakInjection.parse("levels")).isEqualTo(new LeakInjection("levels", 1 << 20));
        assertThat(LeakInjection.parse("Remote")).isEqualTo(new LeakInjection("remote", LeakInjection.DEFAULT_PINS));
        assertThat(LeakInjection.parse("remote").describe()).isEqualTo("16 pins per cycle");
        assertThat(LeakInjection.parse("levels").describe()).isEqualTo("1048576 B per cycle");
    }

    @Test
    void anAmountIsBytesWithBinarySuffixes() {
        assertThat(LeakInjection.parse("plugin:4096").amount()).isEqualTo(4096);
        assertThat(LeakInjection.parse("plugin:64k").amount()).isEqualTo(64 << 10);
        assertThat(LeakInjection.parse("plugin:2M").amount()).isEqualTo(2 << 20);
        assertThat(LeakInjection.parse("jvm:1G").amount()).isEqualTo(1L << 30);
    }

    @Test
    void aBadAmountOrNoScenarioIsRefusedWithOneLine() {
        for (String bad : new String[] {"levels:", "levels:0", "levels:-5", "levels:lots", "levels:1T", ":1M",
                "levels:99999999999G"}) {
            assertThatThrownBy(() -> LeakInjection.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("--inject-leak").hasMessageNotContaining("\n");
        }
    }
}
