/**
 * Remote references: objects pinned in another process, released in batches, with leases, over
 * gRPC (see DESIGN.md, "Remote references").
 *
 * <ul>
 *   <li>{@link dev.custody.remote.ObjectServer} (built by {@link dev.custody.remote.ObjectServerBuilder})
 *       exports named roots, pins every object it sends per session, and serves only the members
 *       of its {@link dev.custody.remote.Allowlist}.</li>
 *   <li>{@link dev.custody.remote.RemoteClient#connect} opens a session with a token read by
 *       {@link dev.custody.remote.AccessToken} (file or environment variable) and hands out
 *       {@link dev.custody.remote.RemoteRef} proxies, released exactly once by close() or by a
 *       Cleaner, in (handle, count) batches.</li>
 *   <li>{@link dev.custody.remote.ServerMain} and {@link dev.custody.remote.ServerProcess} run a
 *       demo server in a child JVM, for tests, the {@code remote} stress scenario and benchmarks.</li>
 * </ul>
 *
 * <p>The session stream is the lease: the client sends a heartbeat on it every half keepalive
 * period, and the server drops every pin of a session whose stream ends or which has been silent
 * for {@link dev.custody.remote.ObjectServer#leaseBound()}.
 */
package dev.custody.remote;
