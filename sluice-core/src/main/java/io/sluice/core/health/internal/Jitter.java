package io.sluice.core.health.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Spreads checks out: each delay is the interval ±10 %, drawn uniformly, so backends checked on one schedule
 * (and several Sluice instances checking one backend) drift apart instead of probing in bursts (HikariCP
 * jitters its max lifetime for the same reason; Envoy's {@code interval_jitter_percent}).
 */
public final class Jitter {

    /** The largest deviation, as a share of the interval. */
    public static final double SPREAD = 0.10;

    private Jitter() {}

    /** A delay in {@code [interval × 0.9, interval × 1.1]}, in nanoseconds. */
    public static long nextDelayNanos(Duration interval, RandomGenerator random) {
        long nanos = interval.toNanos();
        long spread = (long) (nanos * SPREAD);
        return spread == 0 ? nanos : nanos - spread + random.nextLong(2 * spread + 1);
    }

    /** The first check's delay: up to 10 % of the interval, so a fresh start finds a dead backend quickly. */
    public static long firstDelayNanos(Duration interval, RandomGenerator random) {
        long spread = (long) (interval.toNanos() * SPREAD);
        return spread == 0 ? 0 : random.nextLong(spread + 1);
    }
}
