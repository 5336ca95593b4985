package dev.custody.agent.programs;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** What the test programs share: the agent's report on demand, through its MXBean. */
public final class Programs {
    private Programs() {}

    /** {@code sun.misc.Unsafe}, as the libraries that use it take it (run with {@code --sun-misc-unsafe-memory-access=allow}). */
    @SuppressWarnings("removal")
    public static sun.misc.Unsafe unsafe() throws ReflectiveOperationException {
        java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        f.setAccessible(true);
        return (sun.misc.Unsafe) f.get(null);
    }

    /** The resident agent's report now, as JSON. */
    public static String reportNow() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName("dev.custody:type=Agent"), "ReportJson");
    }

    /** Prints the report between marker lines, so that a test can read it from standard output. */
    public static void printReport(String label) throws Exception {
        System.out.println("--- report " + label);
        System.out.println(reportNow());
        System.out.println("--- end");
    }

    /** Asks the GC for a collection and gives the Cleaner thread time to run, a few times over. */
    public static void collect() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }
}
