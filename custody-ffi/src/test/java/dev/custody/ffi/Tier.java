package dev.custody.ffi;

/** Test tiers: counts scaled down for CI ("fast", the default) or full ("soak"). */
final class Tier {
    static final boolean SOAK = "soak".equals(System.getProperty("custody.tier", "fast"));

    private Tier() {
    }

    static int count(int fast, int soak) {
        return SOAK ? soak : fast;
    }
}
