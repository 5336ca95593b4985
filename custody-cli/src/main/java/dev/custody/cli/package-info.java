/**
 * The {@code custody} command ({@link dev.custody.cli.Main}): {@code stress}, the scenarios as
 * cycles judged by their books and witnesses ({@link dev.custody.cli.CycleLog}); {@code report},
 * a JFR recording's custody events; {@code run} and {@code attach}, the agent; {@code levels}.
 * The {@code ./custody} launcher, or the distribution's {@code bin/custody}, runs it on JDK 25.
 */
package dev.custody.cli;
