package dev.custody.agent.boot;

import java.net.URL;

/** How a site and an owner are written, the same for a rewritten call site and a walked frame. */
public final class SiteLabels {
    private SiteLabels() {}

    /**
     * A frame as {@code pkg.Class.method(File.java:line)}, as {@code StackTraceElement} prints it
     * without loader or module.
     *
     * @param className the frame's class, binary name with dots
     * @param method the method's name
     * @param file the source file's name, or null ({@code Unknown Source})
     * @param line the line number, or a negative number for none (the label then has no line)
     * @return the site label
     */
    public static String site(String className, String method, String file, int line) {
        StringBuilder b = new StringBuilder(className.length() + method.length() + 24)
                .append(className).append('.').append(method).append('(');
        b.append(file == null ? "Unknown Source" : file);
        if (line >= 0) {
            b.append(':').append(line);
        }
        return b.append(')').toString();
    }

    /**
     * The owner label of a class: the class with its named module, or else with the directory or
     * jar it was loaded from.
     *
     * @param className the class's binary name with dots
     * @param module the name of the class's named module, or null for an unnamed one
     * @param location the class's code source location, or null when it has none
     * @return such as {@code com.acme.Pool (jar acme-1.0.jar)} or {@code com.acme.Pool (unnamed module)}
     */
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
