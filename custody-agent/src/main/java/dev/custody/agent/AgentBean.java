package dev.custody.agent;

import dev.custody.agent.boot.Hooks;
import dev.custody.agent.boot.Report;

/** The MXBean of the resident agent. */
final class AgentBean implements AgentMXBean {
    private final Transformer transformer;

    AgentBean(Transformer transformer) {
        this.transformer = transformer;
    }

    @Override
    public String getReportJson() {
        return Report.take(Nmt.otherMallocBytes()).json();
    }

    @Override
    public String getReportText() {
        return Report.take(Nmt.otherMallocBytes()).text();
    }

    @Override
    public long getSampleBytes() {
        return Hooks.sampleBytes();
    }

    @Override
    public void setSampleBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("sample bytes must be 0 or more: " + bytes);
        }
        Hooks.setSampleBytes(bytes);
    }

    @Override
    public long getRewrittenClasses() {
        return transformer.rewrittenClasses();
    }

    @Override
    public long getFailedClasses() {
        return transformer.failedClasses();
    }

    @Override
    public long getInternalErrors() {
        return Hooks.internalErrors();
    }
}
