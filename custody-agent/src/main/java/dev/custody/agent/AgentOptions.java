package dev.custody.agent;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The agent's option string: {@code json=FILE,sampleBytes=N,print=true|false,claim=true|false,skip=P1:P2},
 * every part optional; {@code enforce=true} turns enforce mode on. {@code skip} names package prefixes (separated by {@code :}) of libraries
 * whose frames are passed over for a block's site, so that the site is the user's frame and not,
 * say, Netty's; the owner stays the library's class. {@code N} is the mean number of bytes between sampled stacks (0 for none),
 * and may end in {@code k} or {@code m}; the default is 512 KiB.
 *
 * @param json where the JSON report is written at exit, or null
 * @param sampleBytes the mean bytes between sampled stacks
 * @param print whether the text report is printed on standard error at exit
 * @param claim whether {@code json} is taken only by the first JVM to start (the others write
 *     {@code json.<pid>}), as {@code custody run} asks; without it the file is overwritten
 * @param skip package prefixes whose frames are not a block's site
 * @param enforce whether a free through {@code sun.misc.Unsafe} from outside the JDK that custody
 *     knows is wrong is refused ({@code enforce=true})
 */
public record AgentOptions(Path json, long sampleBytes, boolean print, boolean claim, List<String> skip, boolean enforce) {
    /** The default mean interval between sampled stacks. */
    public static final long DEFAULT_SAMPLE_BYTES = 512 * 1024;

    /**
     * Parses an option string.
     *
     * @param options parts {@code name=value} separated by commas, as in the class comment; null or
     *     blank for the defaults
     * @return the options, with the defaults for the parts not given
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static AgentOptions parse(String options) {
        Path json = null;
        long sample = DEFAULT_SAMPLE_BYTES;
        boolean print = true;
        boolean claim = false;
        List<String> skip = List.of();
        boolean enforce = false;
        if (options != null && !options.isBlank()) {
            for (String part : options.split(",")) {
                int eq = part.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("option '" + part + "' has no value (expected name=value)");
                }
                String name = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                switch (name) {
                    case "json" -> {
                        if (value.isEmpty()) {
                            throw new IllegalArgumentException("json= needs a file");
                        }
                        json = Path.of(value).toAbsolutePath();
                    }
                    case "sampleBytes" -> sample = bytes(value);
                    case "print" -> print = bool(name, value);
                    case "claim" -> claim = bool(name, value);
                    case "skip" -> skip = packages(value);
                    case "enforce" -> enforce = bool(name, value);
                    default -> throw new IllegalArgumentException("unknown option '" + name
                            + "' (known: json, sampleBytes, print, claim, skip, enforce)");
                }
            }
        }
        return new AgentOptions(json, sample, print, claim, skip, enforce);
    }

    private static List<String> packages(String value) {
        List<String> out = new ArrayList<>();
        for (String p : value.split(":")) {
            String prefix = p.trim();
            if (!prefix.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
                throw new IllegalArgumentException("skip '" + p + "' is not a package name (such as io.netty)");
            }
            out.add(prefix);
        }
        return List.copyOf(out);
    }

    /**
     * A byte count such as {@code 4096}, {@code 512k} or {@code 1m}.
     *
     * @param value a non-negative whole number, optionally ending in {@code k} (KiB) or {@code m}
     *     (MiB), either case; surrounding whitespace is ignored
     * @return the count in bytes
     * @throws IllegalArgumentException if {@code value} is not such a count, or the count does not
     *     fit in a {@code long}
     */
    public static long bytes(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("k")) {
            unit = 1024;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 1024 * 1024;
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("sampleBytes '" + value + "' is not a byte count (such as 524288, 512k or 1m)");
        }
    }

    private static boolean bool(String name, String value) {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(name + " '" + value + "' is not true or false");
        };
    }
}
