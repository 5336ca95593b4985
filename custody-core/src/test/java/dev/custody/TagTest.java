package dev.custody;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
class TagTest { @Test void name() { assertThat(new Tag("x").name()).isEqualTo("x"); } }
