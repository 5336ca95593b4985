package dev.custody.bench.agent;

/** Whether the fork runs under the custody agent, checked so that a missing agent cannot pass for a cheap one. */
final class AgentState {
    private AgentState() {}

    /** Throws unless the agent is loaded exactly when the benchmark's method is not the one {@code withoutAgent}. */
    static void check(org.openjdk.jmh.infra.BenchmarkParams params) {
        expect(!params.getBenchmark().endsWith(".withoutAgent"));
    }

    /** Throws unless the agent's presence is what the benchmark method's fork asked for. */
    static void expect(boolean agent) {
        boolean resident = System.getProperty("custody.agent") != null;
        if (resident != agent) {
            throw new IllegalStateException(agent
                    ? "the custody agent is not loaded: run from the project's root (./custody bench), after a build"
                    : "the custody agent is loaded in a fork that should run without it");
        }
    }
}
