package dev.custody.agent.programs;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/** What the test programs share: the agent's report on demand, through its MXBean. */
public final class Programs {
    private Programs() {}

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
