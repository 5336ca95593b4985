/**
 * JMH benchmarks of the custody agent: the same allocation cycle (a direct buffer, a confined
 * arena, an {@code Unsafe} allocate and free) in a fork without the agent (the baseline), under its
 * exact books with no stack samples, and at its default sampling, so that the agent's cost is a
 * ratio to the program it watches. Each fork checks that the agent is loaded exactly when asked.
 */
package dev.custody.bench.agent;
