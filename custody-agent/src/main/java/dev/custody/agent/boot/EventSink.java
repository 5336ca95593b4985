package dev.custody.agent.boot;

/**
 * Where the hooks send what JFR should record: set by the agent (whose JFR event classes live on
 * the application class path, as JFR expects), called with the agent's own work marked.
 */
public interface EventSink {
    /** A sampled allocation, on the allocating thread, so that the event's stack trace is the allocation's. */
    void sampled(String kind, String owner, String site, long size, long address);

    /** A misuse, on the thread that made it. */
    void misuse(String kind, String site, long address, String allocationSite);
}
