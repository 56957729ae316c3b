package io.sluice.transfer;

/**
 * The default burst of a job's {@code --limit}: the larger of 1 MB and a quarter of a second at the rate.
 *
 * <p>A token bucket credits a pause only up to its burst, and a job's workers pause by design: between two chunks a
 * worker records the finished one (data forced, journal replaced) and sends the next ranged GET, and on a loaded
 * machine each step waits for the scheduler. With one worker nothing else consumes the tokens meanwhile, so every
 * such gap longer than the burst is lost for good: a flat 1 MB (25 ms at 320 Mbps) left one worker 7-10 % under
 * its limit at load 6-14 on 2 cores, where 8 MB held it within 2 % (docs/BENCHMARKS.md, "Transfers"). A quarter of
 * a second covers those gaps while bounding what passes at full speed after a real quiet spell to 2.5 % of any
 * 10-second window. The gateway's {@code bandwidth:} keeps its own configured burst; this is only the jobs' default.
 */
public final class LimitBurst {

    /** The floor, the former fixed default. */
    public static final long MIN_BYTES = 1_000_000;
    /** The share of a second the default burst covers at the rate. */
    private static final long DIVISOR = 4;
    /** {@code --limit-burst}'s ceiling (1 GiB). */
    private static final long MAX_BYTES = 1L << 30;

    private LimitBurst() {}

    /** The default burst for a limit whose highest rate is {@code bitsPerSecond} (0: unlimited, the floor). */
    public static long forRate(long bitsPerSecond) {
        long quarterSecond = Math.max(0, bitsPerSecond) / 8 / DIVISOR;
        return Math.min(MAX_BYTES, Math.max(MIN_BYTES, quarterSecond));
    }
}
