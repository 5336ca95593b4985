package dev.custody.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checks on a file a command is told to write, made before it starts any work. */
final class OutputPath {
    private OutputPath() {}

    /** Why {@code file} cannot be written, or null when it can: its folder must exist and be writable, and it must not be a folder. */
    static String problem(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            return "'" + file + "' is a folder, not a file";
        }
        if (dir == null || !Files.isDirectory(dir)) {
            return "cannot write '" + file + "': its folder " + dir + " does not exist";
        }
        if (!Files.isWritable(dir) || (Files.exists(abs) && !Files.isWritable(abs))) {
            return "cannot write '" + file + "': permission denied";
        }
        return null;
    }
}
