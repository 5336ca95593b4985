package dev.custody;

import dev.custody.internal.LeakWarnings;

/**
 * Receives reference-counted blocks that the garbage collector found unreleased. Called on the
 * cleaner's thread; must not block for long. An exception it throws is logged and dropped.
 *
 * <p>A listener sees every leak. Whatever it does, each leak is also a JFR
 * {@code dev.custody.Leak} event and counted in the heap's figures ({@link Figures#leaksCollected()}).
 */
@FunctionalInterface
public interface LeakListener {
    /**
     * Told of one leak, after its JFR event and the heap's figures recorded it.
     *
     * @param leak the block that leaked
     * @param freed whether custody freed its memory (false when views were still open, because
     *     freeing then would break Law 3)
     */
    void leaked(Leak leak, boolean freed);

    /**
     * The default: a warning through {@link System.Logger} (logger {@code dev.custody.Leak}), once
     * per site, as Netty's leak detector reports each leak record once. A site is the heap, the
     * tag and the allocation's caller frame. The first leak of a site is logged with its
     * allocation site; later leaks of that site are counted, and the count is logged in one line
     * when it reaches 10, 100, 1000 and so on. Every heap's default is this one listener, so the
     * counts are the JVM's.
     *
     * @return the JVM's default listener
     */
    static LeakListener warning() {
        return LeakWarnings.SHARED;
    }
}
