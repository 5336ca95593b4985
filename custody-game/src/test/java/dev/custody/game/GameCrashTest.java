package dev.custody.game;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's crash, in a child JVM: without custody the game aborts when it frees a libc block;
 * through custody the same mistake is refused at the hand-off and the process carries on.
 */
class GameCrashTest {
    /** 128 + SIGABRT: how a process killed by abort() exits. */
    private static final int SIGABRT_EXIT = 134;

    @Test
    void withoutCustodyTheGameAbortsWhenItFreesALibcBlock() throws Exception {
        Child c = run("raw");
        assertThat(c.stdout).contains("injected a libc block").doesNotContain("survived");
        assertThat(c.stderr).contains("game: CMemoryMgr::Free(").contains("not a block of the game's heap")
                .contains("the game aborts");
        assertThat(c.exit).as("exit status of the aborted child; stderr:%n%s", c.stderr).isEqualTo(SIGABRT_EXIT);
    }

    @Test
    void throughCustodyTheSameMistakeIsRefusedAtTheHandOffAndTheChildExits0() throws Exception {
        Child c = run("custody");
        assertThat(c.exit).as("stdout:%n%s%nstderr:%n%s", c.stdout, c.stderr).isZero();
        assertThat(c.stdout).contains("refused: ").contains("libc").contains("game")
                .contains("block intact: true; freed on libc; game live paths 0, MEM_PATHS bytes 0");
    }

    private record Child(int exit, String stdout, String stderr) {
    }

    private static Child run(String mode) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> path = new ArrayList<>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            String v = System.getProperty(property);
            if (v != null && !v.isBlank()) {
                path.add(v);
            }
        }
        Path out = Files.createTempFile("game-child", ".out");
        Path err = Files.createTempFile("game-child", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                    "-XX:+UseSerialGC", "-XX:-CreateCoredumpOnCrash", "-cp", String.join(File.pathSeparator, path),
                    GameCrashChild.class.getName(), mode)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("MALLOC_ARENA_MAX", "1");
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM (" + mode + ") did not end within 120 s");
            }
            return new Child(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
