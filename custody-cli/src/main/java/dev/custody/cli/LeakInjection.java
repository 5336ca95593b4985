package dev.custody.cli;

import java.util.Locale;

/**
 * {@code --inject-leak SCENARIO[:AMOUNT]}: the positive control of {@code custody stress}. The named
 * scenario leaks {@code amount} per cycle on its own heap, the way a real bug would, so that its
 * verdict must be GROWING and name that heap and tag. The amount is bytes ({@value #DEFAULT_BYTES}
 * by default; a suffix K, M or G means KiB, MiB or GiB), except for {@code remote}, where it counts
 * pins ({@value #DEFAULT_PINS} by default): proxies kept alive, whose objects the server keeps pinned.
 *
 * @param scenario the scenario's name, lower case
 * @param amount bytes (or, for {@code remote}, pins) leaked per cycle; at least 1
 */
record LeakInjection(String scenario, long amount) {
    /** Bytes leaked per cycle when no amount is given: 1 MiB. */
    static final long DEFAULT_BYTES = 1L << 20;
    /** Pins leaked per cycle by {@code remote} when no amount is given. */
    static final long DEFAULT_PINS = 16;
    /** The one scenario whose amount counts pins rather than bytes. */
    static final String PINS_SCENARIO = "remote";

    /**
     * Parses {@code SCENARIO[:AMOUNT]}; the name is not checked against the registry here.
     *
     * @throws IllegalArgumentException with a one-line message if the amount is not a positive number
     */
    static LeakInjection parse(String spec) {
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new IllegalArgumentException("--inject-leak needs a scenario, as in --inject-leak levels:1M");
        }
        if (colon < 0) {
            return new LeakInjection(name, name.equals(PINS_SCENARIO) ? DEFAULT_PINS : DEFAULT_BYTES);
        }
        String amount = spec.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (!amount.isEmpty() && "KMG".indexOf(amount.charAt(amount.length() - 1)) >= 0) {
            unit = 1L << (10 * ("KMG".indexOf(amount.charAt(amount.length() - 1)) + 1));
            amount = amount.substring(0, amount.length() - 1);
        }
        try {
            long n = Math.multiplyExact(Long.parseLong(amount), unit);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return new LeakInjection(name, n);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--inject-leak " + spec + ": the amount must be a positive number"
                    + " (bytes, with an optional K, M or G; pins for remote)");
        }
    }

    /** The amount for a message: {@code "1048576 B"} or {@code "16 pins"}. */
    String describe() {
        return amount + (scenario.equals(PINS_SCENARIO) ? " pins" : " B") + " per cycle";
    }
}
