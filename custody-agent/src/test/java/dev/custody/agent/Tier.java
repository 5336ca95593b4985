package dev.custody.agent;

/** The test tier: "fast" in CI, "soak" for the full counts ({@code -Psoak}). */
final class Tier {
    private Tier() {}

    static boolean soak() {
        return "soak".equals(System.getProperty("custody.tier"));
    }
}
