package dev.custody.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void noOptionsAreTheDefaults() {
        AgentOptions o = AgentOptions.parse(null);
        assertThat(o.json()).isNull();
        assertThat(o.sampleBytes()).isEqualTo(512 * 1024);
        assertThat(o.print()).isTrue();
        assertThat(o.claim()).isFalse();
        assertThat(AgentOptions.parse("")).isEqualTo(o);
    }

    @Test
    void everyOptionIsRead() {
        AgentOptions o = AgentOptions.parse("json=/tmp/r.json,sampleBytes=64k,print=false,claim=true");
        assertThat(o.json()).isEqualTo(Path.of("/tmp/r.json"));
        assertThat(o.sampleBytes()).isEqualTo(64 * 1024);
        assertThat(o.print()).isFalse();
        assertThat(o.claim()).isTrue();
        assertThat(AgentOptions.parse("sampleBytes=2m").sampleBytes()).isEqualTo(2 * 1024 * 1024);
        assertThat(AgentOptions.parse("sampleBytes=0").sampleBytes()).isZero();
    }

    @Test
    void skippedPackagesAreAListOfPrefixes() {
        assertThat(AgentOptions.parse("skip=io.netty:org.apache.arrow").skip()).containsExactly("io.netty", "org.apache.arrow");
        assertThat(AgentOptions.parse("").skip()).isEmpty();
        assertThatThrownBy(() -> AgentOptions.parse("skip=io..netty"))
                .hasMessage("skip 'io..netty' is not a package name (such as io.netty)");
    }

    @Test
    void aRelativeReportPathIsMadeAbsolute() {
        Path json = AgentOptions.parse("json=r.json").json();
        assertThat(json.isAbsolute()).isTrue();
        assertThat(json.getFileName().toString()).isEqualTo("r.json");
    }

    @Test
    void badOptionsAreNamed() {
        assertThatThrownBy(() -> AgentOptions.parse("colour=blue")).hasMessage(
                "unknown option 'colour' (known: json, sampleBytes, print, claim, skip, enforce)");
        assertThatThrownBy(() -> AgentOptions.parse("json")).hasMessage("option 'json' has no value (expected name=value)");
        assertThatThrownBy(() -> AgentOptions.parse("json=")).hasMessage("json= needs a file");
        assertThatThrownBy(() -> AgentOptions.parse("sampleBytes=-1")).hasMessageStartingWith("sampleBytes '-1' is not a byte count");
        assertThatThrownBy(() -> AgentOptions.parse("sampleBytes=lots")).hasMessageStartingWith("sampleBytes 'lots'");
        assertThatThrownBy(() -> AgentOptions.parse("sampleBytes=9999999999999999m")).hasMessageStartingWith("sampleBytes");
        assertThatThrownBy(() -> AgentOptions.parse("print=yes")).hasMessage("print 'yes' is not true or false");
    }
}
