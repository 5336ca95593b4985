package dev.custody.agent.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void whatItWritesJacksonReadsBack() throws Exception {
        String text = new Json().begin('{').field("s", "quote \" backslash \\ newline \n tab \t bell \u0007")
                .field("n", -42).field("t", true).field("u", (Boolean) null).field("z", (String) null)
                .key("a").begin('[').value("x").value(1).begin('{').field("k", "v").end('}').end(']')
                .key("e").begin('[').end(']').end('}').toString();
        JsonNode n = new ObjectMapper().readTree(text);
        assertThat(n.path("s").asText()).isEqualTo("quote \" backslash \\ newline \n tab \t bell \u0007");
        assertThat(n.path("n").asLong()).isEqualTo(-42);
        assertThat(n.path("t").asBoolean()).isTrue();
        assertThat(n.path("u").isNull()).isTrue();
        assertThat(n.path("z").isNull()).isTrue();
        assertThat(n.path("a").size()).isEqualTo(3);
        assertThat(n.path("a").get(2).path("k").asText()).isEqualTo("v");
        assertThat(n.path("e").isEmpty()).isTrue();
    }
}
