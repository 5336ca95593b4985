package dev.custody.agent;

import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * NMT's malloc "Other", where the JVM books every {@code Unsafe.allocateMemory}: read through the
 * DiagnosticCommand MBean ({@code VM.native_memory summary}) when the JVM runs with
 * {@code -XX:NativeMemoryTracking=summary} or {@code detail}.
 */
final class Nmt {
    private static final Pattern OTHER = Pattern.compile("Other \\(reserved=\\d+KB, committed=\\d+KB\\)\\s*\\(malloc=(\\d+)KB");

    private Nmt() {}

    /** NMT's malloc bytes under "Other", or -1 when NMT is off or cannot be read. */
    static long otherMallocBytes() {
        try {
            Object summary = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary", "scale=KB"}}, new String[] {String[].class.getName()});
            Matcher m = OTHER.matcher(String.valueOf(summary));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (Exception | LinkageError e) {
            return -1;
        }
    }
}
