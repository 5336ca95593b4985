package dev.custody.internal;

/** English for messages: a count with its noun in the right number ("1 block", "2 blocks"). */
public final class Words {
    private Words() {
    }

    /**
     * The count and the noun, plural unless the count is 1 or -1.
     *
     * @param n the count
     * @param noun the singular noun, such as {@code "block"}; its plural adds an {@code s}
     * @return such as {@code "1 block"} or {@code "0 blocks"}
     */
    public static String count(long n, String noun) {
        return n + " " + noun + (Math.abs(n) == 1 ? "" : "s");
    }
}
