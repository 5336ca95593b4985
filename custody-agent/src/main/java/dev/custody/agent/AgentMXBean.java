package dev.custody.agent;

/**
 * The resident agent, as JMX sees it ({@code dev.custody:type=Agent}): the books on demand, for
 * {@code custody attach} and for any JMX client.
 */
public interface AgentMXBean {
    /**
     * The report as JSON, taken now.
     *
     * @return the books as the exit report's JSON writes them
     */
    String getReportJson();

    /**
     * The report as text, taken now.
     *
     * @return the books as the exit report prints them
     */
    String getReportText();

    /**
     * The mean bytes between sampled stacks.
     *
     * @return the mean, 0 for none
     */
    long getSampleBytes();

    /**
     * Sets the mean bytes between sampled stacks; the next interval is drawn with the new mean.
     *
     * @param bytes the mean, 0 for none
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    void setSampleBytes(long bytes);

    /**
     * Classes whose call sites were rewritten.
     *
     * @return the count since the agent started
     */
    long getRewrittenClasses();

    /**
     * Classes the agent tried to instrument and left as they were, after an error.
     *
     * @return the count since the agent started
     */
    long getFailedClasses();

    /**
     * Failures inside the hooks, each swallowed so that the program went on.
     *
     * @return the count since the agent started
     */
    long getInternalErrors();
}
