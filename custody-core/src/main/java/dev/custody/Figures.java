package dev.custody;

import dev.custody.internal.Words;

/**
 * One line of a heap's books: for the whole heap, or for one tag of it.
 *
 * <p>Law 5: {@code liveBytes} and {@code liveBlocks} equal the sum over the live blocks. Blocks
 * handed off to native code leave the live figures and are counted in {@code handedOff*}.
 *
 * @param liveBytes bytes in live blocks
 * @param liveBlocks live blocks
 * @param peakBytes the highest {@code liveBytes} seen
 * @param allocations blocks allocated or adopted, in all
 * @param frees blocks freed, in all
 * @param handedOffBlocks blocks handed off to native code, in all
 * @param handedOffBytes bytes handed off to native code, in all
 * @param leaksCollected reference-counted blocks the garbage collector found unreleased, in all
 */
public record Figures(long liveBytes, long liveBlocks, long peakBytes, long allocations, long frees,
                      long handedOffBlocks, long handedOffBytes, long leaksCollected) {

    public static final Figures ZERO = new Figures(0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * The component-wise sum, with {@code peakBytes} the larger of the two (a bound, not exact).
     *
     * @param o the figures to add
     * @return the sum
     */
    public Figures plus(Figures o) {
        return new Figures(liveBytes + o.liveBytes, liveBlocks + o.liveBlocks, Math.max(peakBytes, o.peakBytes),
                allocations + o.allocations, frees + o.frees, handedOffBlocks + o.handedOffBlocks,
                handedOffBytes + o.handedOffBytes, leaksCollected + o.leaksCollected);
    }

    /**
     * The component-wise difference {@code this - before}; {@code peakBytes} is this one's.
     *
     * @param before the earlier figures
     * @return the change since them
     */
    public Figures minus(Figures before) {
        return new Figures(liveBytes - before.liveBytes, liveBlocks - before.liveBlocks, peakBytes,
                allocations - before.allocations, frees - before.frees, handedOffBlocks - before.handedOffBlocks,
                handedOffBytes - before.handedOffBytes, leaksCollected - before.leaksCollected);
    }

    @Override
    public String toString() {
        return "live " + liveBytes + " B in " + Words.count(liveBlocks, "block") + ", peak " + peakBytes + " B, "
                + Words.count(allocations, "allocation") + ", " + Words.count(frees, "free") + ", handed off "
                + Words.count(handedOffBlocks, "block") + " (" + handedOffBytes + " B), "
                + Words.count(leaksCollected, "leak") + " collected";
    }
}
