package dev.custody.agent;

/**
 * The resident agent, as JMX sees it ({@code dev.custody:type=Agent}): the books on demand, for
 * {@code custody attach} and for any JMX client.
 */
public interface AgentMXBean {
    /** The report as JSON, taken now. */
    String getReportJson();

    /** The report as text, taken now. */
    String getReportText();

    /** The mean bytes between sampled stacks; 0 for none. */
    long getSampleBytes();

    void setSampleBytes(long bytes);

    /** Classes whose call sites were rewritten. */
    long getRewrittenClasses();

    /** Classes the agent tried to instrument and left as they were, after an error. */
    long getFailedClasses();

    /** Failures inside the hooks, each swallowed so that the program went on. */
    long getInternalErrors();
}
