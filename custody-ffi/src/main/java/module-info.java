/** A host for native plugins whose callee allocates and whose host frees. */
module dev.custody.ffi {
    requires transitive dev.custody;
    requires com.fasterxml.jackson.databind;

    exports dev.custody.ffi;
    exports dev.custody.ffi.reference to dev.custody.cli;
}
