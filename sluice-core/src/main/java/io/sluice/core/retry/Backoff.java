package io.sluice.core.retry;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): the n-th retry
 * waits a uniformly random time in {@code [0, min(max, initial × 2^(n-1))]}, which spreads retrying clients apart
 * instead of synchronising them. Seed 003's defaults: 100 ms initial, 10 s max.
 */
public final class Backoff {

    private final long initialNanos;
    private final long maxNanos;
    private final Supplier<RandomGenerator> random;

    private Backoff(Duration initial, Duration max, Supplier<RandomGenerator> random) {
        this.initialNanos = initial.toNanos();
        this.maxNanos = max.toNanos();
        this.random = random;
    }

    public static Backoff exponential(Duration initial, Duration max, Supplier<RandomGenerator> random) {
        return new Backoff(initial, max, random);
    }

    /** The ceiling of retry {@code attempt} (1-based), before jitter. */
    public long ceilingNanos(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 62);
        long ceiling = initialNanos << shift;
        return ceiling <= 0 || ceiling > maxNanos || (initialNanos << shift) >>> shift != initialNanos ? maxNanos : ceiling;
    }

    /** How long retry {@code attempt} (1-based) waits: full jitter below {@link #ceilingNanos}. */
    public long delayNanos(int attempt) {
        long ceiling = ceilingNanos(attempt);
        return ceiling <= 0 ? 0 : random.get().nextLong(ceiling + 1);
    }
}
