package dev.custody.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code custody attach PID [--json FILE] [--watch SECONDS]}: loads the agent into a running
 * JVM 25 and prints its books, once or every N seconds. The agent stays resident and keeps
 * counting; a later attach finds it there, loads and retransforms nothing, and reads its books
 * through its MXBean ({@code dev.custody:type=Agent}) over the JVM's local JMX connector.
 */
@Command(name = "attach", mixinStandardHelpOptions = true,
        description = {"Loads the custody agent into a running JVM 25 (or finds it resident) and prints its books.",
                "Exit status: 0; 2 when the process cannot be attached."})
final class AttachCommand implements Callable<Integer> {
    private static final String DYNAMIC_LOADING = "-XX:+EnableDynamicAgentLoading";

    private final PrintStream out;
    private final PrintStream err;

    @Parameters(index = "0", paramLabel = "PID", description = "The process id of a running JVM 25.")
    private String pid;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the JSON report here (resolved here, not in the target).")
    private Path json;

    @Option(names = "--watch", paramLabel = "SECONDS", description = "Print the books every SECONDS until interrupted.")
    private Integer watch;

    AttachCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        if (!pid.matches("\\d{1,10}")) {
            return refuse("'" + pid + "' is not a process id");
        }
        if (ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
            return refuse("no process with PID " + pid);
        }
        if (watch != null && watch < 1) {
            return refuse("--watch needs a number of seconds, 1 or more");
        }
        if (json != null && OutputPath.problem(json) != null) {
            return refuse(OutputPath.problem(json));
        }
        Path jar = AgentJar.locate().orElse(null);
        if (jar == null) {
            return refuse(AgentJar.missing());
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            return refuse("process " + pid + " is not a JVM that accepts an attach (" + e.getMessage() + ")");
        }
        try {
            Properties system = vm.getSystemProperties();
            String version = system.getProperty("java.specification.version");
            if (JavaVersion.feature(version) < 25) {
                return refuse("process " + pid + " runs Java " + version + " (" + system.getProperty("java.home")
                        + "); the agent needs a JDK 25 or newer, so nothing was loaded");
            }
            if (system.getProperty(AgentJar.RESIDENT_PROPERTY) != null) {
                out.println("custody attach: the agent is already resident in process " + pid + "; reading its books");
            } else {
                String flags = vm.getAgentProperties().getProperty("sun.jvm.args", "");
                if (!flags.contains(DYNAMIC_LOADING)) {
                    err.println("custody attach: process " + pid + " was not started with " + DYNAMIC_LOADING
                            + ", so it prints JEP 451's warning that an agent was loaded dynamically: the agent works"
                            + " all the same, and a future JDK may refuse it (start the JVM with that flag, or use custody run)");
                }
                try {
                    vm.loadAgent(jar.toString(), "");
                } catch (AgentLoadException | AgentInitializationException e) {
                    return refuse("the agent could not be loaded into process " + pid + ": " + e.getMessage()
                            + " (see the process's standard error)");
                }
                out.println("custody attach: the agent is now resident in process " + pid + " and keeps counting");
            }
            return books(vm);
        } finally {
            vm.detach();
        }
    }

    private int books(VirtualMachine vm) throws Exception {
        String address = vm.startLocalManagementAgent();
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(AgentJar.MXBEAN);
            while (true) {
                out.print(server.getAttribute(name, "ReportText"));
                if (json != null) {
                    Files.writeString(json.toAbsolutePath(), (String) server.getAttribute(name, "ReportJson"),
                            StandardCharsets.UTF_8);
                }
                out.flush();
                if (watch == null) {
                    return 0;
                }
                try {
                    Thread.sleep(watch * 1000L);
                } catch (InterruptedException e) {
                    return 0; // the user stopped watching; the agent stays resident
                }
            }
        }
    }

    private int refuse(String why) {
        err.println("custody attach: " + why);
        return Main.FAILURE;
    }
}
