package dev.custody.internal;

import dev.custody.Leak;
import dev.custody.LeakListener;
import dev.custody.Tracking;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link LeakListener#warning()}: one warning per site, then the site's count at each power of
 * ten, so that a leak in a loop does not flood the log. The JFR event and the heap's figures,
 * made before the listener is called, still record every leak.
 */
public final class LeakWarnings implements LeakListener {
    /** The default of every heap: one set of counts per JVM, as a site names its heap. */
    public static final LeakWarnings SHARED = new LeakWarnings(System.getLogger("dev.custody.Leak"));

    private final System.Logger log;
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    /** @param log where the warnings go */
    public LeakWarnings(System.Logger log) {
        this.log = log;
    }

    @Override
    public void leaked(Leak leak, boolean freed) {
        String site = "heap '" + leak.heap() + "', tag '" + leak.tag() + "', " + leak.where();
        long n = counts.computeIfAbsent(site, k -> new AtomicLong()).incrementAndGet();
        if (n == 1) {
            log.log(System.Logger.Level.WARNING, "LEAK: reference-counted block was never released: " + leak
                    + (freed ? "; custody freed it" : "; views still open, memory NOT freed")
                    + ". Later leaks at this site are counted, not logged one by one."
                    + (leak.site() == null ? " (" + Tracking.UNTRACKED_HINT + ")" : ""));
        } else if (isPowerOfTen(n)) {
            log.log(System.Logger.Level.WARNING, "LEAK: " + Words.count(n, "reference-counted block")
                    + " never released at " + site + " so far (the latest " + leak.size() + " B at 0x"
                    + Long.toHexString(leak.address()) + ")");
        }
    }

    private static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) {
            n /= 10;
        }
        return n == 1;
    }
}
