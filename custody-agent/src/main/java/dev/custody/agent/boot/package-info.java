/**
 * The agent's hooks, loaded from the bootstrap class path so that the JDK's own classes can call
 * them: the block table, the books, the sites and the report. Not an API: the agent's
 * retransformed JDK code is their only caller, and their signatures follow its needs.
 */
package dev.custody.agent.boot;
