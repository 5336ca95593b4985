/**
 * A JUnit 5 extension that fails a test which leaves blocks of custody's heaps live:
 * {@link dev.custody.junit.CustodyExtension} and its meta-annotation
 * {@link dev.custody.junit.CheckNativeLeaks}.
 */
module dev.custody.junit {
    requires transitive dev.custody;
    requires transitive org.junit.jupiter.api;

    exports dev.custody.junit;
}
