/**
 * Custody's books as Micrometer meters: {@link dev.custody.micrometer.CustodyMetrics}.
 */
module dev.custody.micrometer {
    requires transitive dev.custody;
    requires transitive micrometer.core;

    exports dev.custody.micrometer;
}
