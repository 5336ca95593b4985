/** The custody command: stress (the main job) and report (a JFR recording's custody events). */
module dev.custody.cli {
    requires dev.custody;
    requires dev.custody.ffi;
    requires dev.custody.remote;
    requires dev.custody.game;
    requires info.picocli;
    requires jdk.jfr;
    requires java.xml;

    opens dev.custody.cli to info.picocli;
    exports dev.custody.cli;
}
