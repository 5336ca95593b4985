package dev.custody.remote;

/**
 * The server's figures as a client may see them.
 *
 * @param sessionPins pins held by the calling session
 * @param totalPins pins held by all sessions
 * @param releaseMessages release messages the calling session has sent
 * @param sessions live sessions
 */
public record ServerStats(long sessionPins, long totalPins, long releaseMessages, long sessions) {
}
