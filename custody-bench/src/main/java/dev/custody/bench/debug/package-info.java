/**
 * A JMH benchmark of custody's debug heaps: an allocate, write and free on the poisoning and the
 * guarded heap, each a ratio to the plain libc heap, so that the cost of turning a debug mode on
 * is stated in the same run.
 */
package dev.custody.bench.debug;
