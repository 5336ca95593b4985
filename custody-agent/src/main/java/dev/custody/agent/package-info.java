/**
 * The custody agent ({@code -javaagent:custody-agent-VERSION-agent.jar}, or a dynamic attach):
 * exact books by owner and site of an unmodified program's direct buffers, FFM arenas,
 * {@code sun.misc.Unsafe} blocks and the JDK's own, a leak report at exit, MXBeans and JFR events.
 * Its options are {@link dev.custody.agent.AgentOptions}; its hooks are in
 * {@code dev.custody.agent.boot}, on the bootstrap class path.
 */
package dev.custody.agent;
