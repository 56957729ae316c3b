package io.sluice.core.pool.internal;

import java.util.random.RandomGenerator;

/**
 * Gives each connection its own max lifetime, up to 2.5 % shorter than configured, as HikariCP
 * does, so connections opened together are not all retired (and reopened) in the same instant.
 */
public final class LifetimeJitter {

    /** The largest share of {@code max_lifetime} taken off: 1/40 = 2.5 %. */
    public static final int DIVISOR = 40;

    private LifetimeJitter() {}

    /** A lifetime in {@code [max - max/40, max]}; zero (no limit) stays zero. */
    public static long lifetimeNanos(long maxLifetimeNanos, RandomGenerator random) {
        if (maxLifetimeNanos <= 0) {
            return 0;
        }
        long variance = maxLifetimeNanos / DIVISOR;
        return variance > 0 ? maxLifetimeNanos - random.nextLong(variance + 1) : maxLifetimeNanos;
    }
}
