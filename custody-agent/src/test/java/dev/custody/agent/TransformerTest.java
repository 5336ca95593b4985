package dev.custody.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransformerTest {
    @Test
    void theAgentsOwnClassesAreItsTwoPackagesOnly() {
        assertThat(Transformer.isAgent("dev/custody/agent/Installer")).isTrue();
        assertThat(Transformer.isAgent("dev/custody/agent/boot/Hooks")).isTrue();
        assertThat(Transformer.isAgent("dev/custody/agent/programs/HelloProgram")).isFalse();
        assertThat(Transformer.isAgent("dev/custody/Heaps")).isFalse();
        assertThat(Transformer.isAgent("Main")).isFalse();
    }
}
