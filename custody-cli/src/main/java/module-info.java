/** The custody command: stress (the main job), report (a JFR recording's custody events), run and attach (the agent). */
module dev.custody.cli {
    requires dev.custody;
    requires dev.custody.ffi;
    requires dev.custody.remote;
    requires dev.custody.game;
    requires info.picocli;
    requires jdk.jfr;
    requires java.xml;
    requires com.fasterxml.jackson.databind; // the agent's JSON reports, for run --html
    requires java.management;
    requires jdk.attach;
    requires jdk.unsupported; // the jvm scenario's workload uses sun.misc.Unsafe, as Netty does

    opens dev.custody.cli to info.picocli;
    exports dev.custody.cli;
}
