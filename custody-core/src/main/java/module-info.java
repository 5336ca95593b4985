/**
 * Custody: ownership, accounting and checked frees for memory outside the Java heap.
 */
module dev.custody {
    requires jdk.jfr;
    requires java.management;

    exports dev.custody;
    exports dev.custody.debug;
    exports dev.custody.nativeheap;
    exports dev.custody.observe;
    exports dev.custody.scoped;
    // Custody's own helpers, for its own modules only: the bundled native libraries' loader.
    exports dev.custody.nativeheap.internal to dev.custody.ffi, dev.custody.game;
}
