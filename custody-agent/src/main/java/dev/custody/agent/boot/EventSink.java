package dev.custody.agent.boot;

/**
 * Where the hooks send what JFR should record: set by the agent (whose JFR event classes live on
 * the application class path, as JFR expects), called with the agent's own work marked.
 */
public interface EventSink {
    /**
     * A sampled allocation, on the allocating thread, so that the event's stack trace is the allocation's.
     *
     * @param kind the block's source kind, one of {@link Books#KINDS} (or the agent's own)
     * @param owner the owner label of the block ({@link SiteLabels#owner})
     * @param site the allocation site ({@link SiteLabels#site}), or a placeholder when none is known
     * @param size the block's size in bytes
     * @param address the block's address
     */
    void sampled(String kind, String owner, String site, long size, long address);

    /**
     * A misuse, on the thread that made it.
     *
     * @param kind what went wrong, such as {@code double-free} or {@code unknown-free}
     * @param site the frame that made the misuse ({@link SiteLabels#site})
     * @param address the address the misuse named
     * @param allocationSite where the block was allocated, or null when the agent does not know
     */
    void misuse(String kind, String site, long address, String allocationSite);
}
