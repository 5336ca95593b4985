package dev.custody;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's getting-started example, as a user runs it: the Java block after the marker is
 * written to Hello.java and run as a source file on the module path with {@code
 * --enable-native-access=dev.custody}; what it prints must be the text block that follows (an
 * address aside).
 */
class ReadmeExampleTest {
    private static final String MARKER = "<!-- the getting-started example: ReadmeExampleTest runs it -->";

    @Test
    void theReadmesExampleRunsAndPrintsWhatTheReadmeSays() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        int at = readme.indexOf(MARKER);
        assertThat(at).as("the README has the example's marker").isPositive();
        Matcher m = Pattern.compile("```java\n(.*?)```.*?```text\n(.*?)```", Pattern.DOTALL)
                .matcher(readme.substring(at));
        assertThat(m.find()).as("a java block, then its output as a text block, after the marker").isTrue();
        String code = m.group(1);
        String expected = m.group(2);
        assertThat(code.lines().filter(l -> !l.isBlank()).count()).as("lines of the example").isLessThanOrEqualTo(14);

        Path dir = Files.createTempDirectory("readme-example");
        Path source = dir.resolve("Hello.java");
        Files.writeString(source, code);
        String java = ProcessHandle.current().info().command().orElseThrow();
        String core = Path.of(Heap.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Process p = new ProcessBuilder(List.of(java, "--module-path", core, "--add-modules", "dev.custody",
                "--enable-native-access=dev.custody", source.toString()))
                .redirectError(dir.resolve("err").toFile()).redirectOutput(dir.resolve("out").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("out"));
        String err = Files.readString(dir.resolve("err"));
        assertThat(p.exitValue()).as(err).isZero();
        assertThat(err).as("no warning: native access is enabled for dev.custody").isEmpty();
        assertThat(out.replaceAll("0x[0-9a-f]+", "0x…")).isEqualTo(expected.replaceAll("0x[0-9a-f]+", "0x…"));
        for (File f : dir.toFile().listFiles()) {
            f.delete();
        }
        Files.delete(dir);
    }
}
