package dev.custody.remote;

/**
 * A client's release figures.
 *
 * @param liveProxies proxies not yet released
 * @param queueDepth releases queued and not yet sent
 * @param releasesQueued releases ever queued (by close or by the Cleaner), one per proxy
 * @param releasesSent releases the server acknowledged
 * @param releaseMessages release messages those took
 * @param releasesDiscarded releases dropped because their session had already ended
 * @param gcRequests GCs requested by the opt-in GC request (0 unless enabled)
 * @param latencyP50Nanos median time from queueing a release to the server's acknowledgement
 * @param latencyP99Nanos 99th percentile of the same, over the last 65,536 releases
 */
public record ClientMetrics(long liveProxies, long queueDepth, long releasesQueued, long releasesSent,
        long releaseMessages, long releasesDiscarded, long gcRequests, long latencyP50Nanos, long latencyP99Nanos) {
}
