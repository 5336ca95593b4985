package dev.custody.agent.boot;

import java.net.URL;

/** How a site and an owner are written, the same for a rewritten call site and a walked frame. */
public final class SiteLabels {
    private SiteLabels() {}

    /** A frame as {@code pkg.Class.method(File.java:line)}, as {@code StackTraceElement} prints it without loader or module. */
    public static String site(String className, String method, String file, int line) {
        StringBuilder b = new StringBuilder(className.length() + method.length() + 24)
                .append(className).append('.').append(method).append('(');
        b.append(file == null ? "Unknown Source" : file);
        if (line >= 0) {
            b.append(':').append(line);
        }
        return b.append(')').toString();
    }

    /** The owner label of a class from its name, its module name (or null) and its code location (or null). */
    public static String owner(String className, String module, URL location) {
        if (module != null) {
            return className + " (module " + module + ")";
        }
        if (location != null) {
            String path = location.getPath();
            if (path.endsWith("/")) {
                return className + " (classes " + path + ")";
            }
            return className + " (jar " + path.substring(path.lastIndexOf('/') + 1) + ")";
        }
        return className + " (unnamed module)";
    }
}
