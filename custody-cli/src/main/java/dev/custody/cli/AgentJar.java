package dev.custody.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the custody agent jar is: the {@code custody.agent.jar} system property, which the
 * {@code ./custody} launcher and the tests set to {@code custody-agent/target/custody-agent-<version>-agent.jar}.
 */
final class AgentJar {
    static final String PROPERTY = "custody.agent.jar";
    /** What the resident agent sets in its JVM (the agent's {@code Installer.RESIDENT_PROPERTY}). */
    static final String RESIDENT_PROPERTY = "custody.agent";
    /** The resident agent's MXBean (the agent's {@code Installer.MXBEAN_NAME}). */
    static final String MXBEAN = "dev.custody:type=Agent";

    private AgentJar() {}

    static Optional<Path> locate() {
        String jar = System.getProperty(PROPERTY);
        if (jar == null || jar.isBlank()) {
            return Optional.empty();
        }
        Path p = Path.of(jar).toAbsolutePath();
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    static String missing() {
        return "the agent jar is missing: build the project (./custody builds it) or set -D" + PROPERTY
                + " to custody-agent/target/custody-agent-<version>-agent.jar";
    }
}
