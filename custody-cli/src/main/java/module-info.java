/** The custody command: stress (the main job), soak, report. */
module dev.custody.cli {
    requires dev.custody;
    requires dev.custody.ffi;
    requires dev.custody.remote;
    requires dev.custody.game;
    requires info.picocli;

    opens dev.custody.cli to info.picocli;
    exports dev.custody.cli;
}
