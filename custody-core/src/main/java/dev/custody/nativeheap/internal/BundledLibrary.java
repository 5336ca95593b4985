package dev.custody.nativeheap.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Native libraries that a module carries as resources (built by the build with gcc into
 * {@code target/classes/native/}), extracted once per JVM to a private temporary directory so the
 * dynamic linker can load them. Extracted files are never deleted while the JVM runs: a library is
 * never unloaded.
 */
public final class BundledLibrary {
    private static final ConcurrentHashMap<String, Path> EXTRACTED = new ConcurrentHashMap<>();

    private BundledLibrary() {
    }

    /**
     * The file of a bundled library.
     *
     * @param anchor a class of the module that carries the resource
     * @param resource the resource name, such as {@code "native/libcustody_game.so"}
     * @throws IllegalStateException if the resource is missing (the native build did not run)
     * @throws UncheckedIOException if it cannot be extracted
     */
    public static Path path(Class<?> anchor, String resource) {
        return EXTRACTED.computeIfAbsent(anchor.getModule().getName() + "/" + resource, k -> extract(anchor, resource));
    }

    private static Path extract(Class<?> anchor, String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = anchor.getModule().isNamed() ? anchor.getModule().getResourceAsStream(name)
                : anchor.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("native library resource '" + name + "' not found next to "
                        + anchor.getName() + ": the build compiles it with gcc; run the build (mvn package) first");
            }
            Path dir = Files.createTempDirectory("custody-native-");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(Path.of(name).getFileName().toString());
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract native library " + name, e);
        }
    }
}
