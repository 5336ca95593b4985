package dev.custody.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code custody --version}: the pom's version, which the build writes into {@code version.properties}. */
final class Version implements IVersionProvider {
    /** The pom's version, such as {@code 0.1.0-SNAPSHOT}. */
    static String pom() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from custody-cli's build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"custody " + pom(), "Java " + Runtime.version() + " (" + System.getProperty("java.vm.vendor")
                + ", " + System.getProperty("java.home") + ")"};
    }
}
