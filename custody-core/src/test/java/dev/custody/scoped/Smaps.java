package dev.custody.scoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's own view of a range of this process's address space, from {@code /proc/self/smaps}:
 * a witness outside custody's books. A mapping that straddles the range (the kernel merges
 * neighbouring mappings of the same kind) counts by its overlap; its resident bytes count at most
 * that overlap.
 *
 * @param size bytes mapped in the range
 * @param readWrite bytes mapped read-write (committed) in the range
 * @param rss bytes resident in the range
 */
record Smaps(long size, long readWrite, long rss) {
    static Smaps of(long from, long to) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/self/smaps"));
        long size = 0;
        long rw = 0;
        long rss = 0;
        long overlap = 0;
        for (String line : lines) {
            int dash = line.indexOf('-');
            int space = line.indexOf(' ');
            if (dash > 0 && space > dash && line.substring(0, dash).matches("[0-9a-f]+")) {
                long start = Long.parseUnsignedLong(line.substring(0, dash), 16);
                long end = Long.parseUnsignedLong(line.substring(dash + 1, space), 16);
                overlap = Math.max(0, Math.min(end, to) - Math.max(start, from));
                size += overlap;
                rw += line.startsWith("rw", space + 1) ? overlap : 0;
            } else if (overlap > 0 && line.startsWith("Rss:")) {
                // the kernel may merge a neighbour's mapping into ours: count at most the overlap
                rss += Math.min(overlap, Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
            }
        }
        return new Smaps(size, rw, rss);
    }
}
