package dev.custody;

/**
 * Receives reference-counted blocks that the garbage collector found unreleased. Called on the
 * cleaner's thread; must not block for long. An exception it throws is logged and dropped.
 */
@FunctionalInterface
public interface LeakListener {
    /**
     * @param leak the block that leaked
     * @param freed whether custody freed its memory (false when views were still open, because
     *     freeing then would break Law 3)
     */
    void leaked(Leak leak, boolean freed);

    /** The default: a warning through {@link System.Logger}, with the allocation site. */
    static LeakListener warning() {
        System.Logger log = System.getLogger("dev.custody.Leak");
        return (leak, freed) -> log.log(System.Logger.Level.WARNING,
                "LEAK: reference-counted block was never released: " + leak
                        + (freed ? "; custody freed it" : "; views still open, memory NOT freed"));
    }
}
