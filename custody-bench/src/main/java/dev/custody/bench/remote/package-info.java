/**
 * A measured harness for custody's remote references, not JMH: it counts the release messages per
 * dropped proxies and times drop-to-release latencies against an object server in a child JVM on
 * loopback ({@link dev.custody.bench.remote.RemoteReleaseBench}).
 */
package dev.custody.bench.remote;
