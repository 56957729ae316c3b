package io.sluice.core.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How long to wait before a retry. Implementations are immutable and thread-safe.
 *
 * <p>{@link #exponential(Duration, Duration)} is AWS's "full jitter" (Marc Brooker, <i>Exponential Backoff
 * and Jitter</i>, 2015): a uniformly random delay between 0 and {@code min(max, initial * 2^(attempt-1))},
 * which spreads retries from many clients best of the variants measured there.
 */
@FunctionalInterface
public interface Backoff {

    /** Seed 003: the first retry waits up to 100 ms. */
    Duration DEFAULT_INITIAL = Duration.ofMillis(100);

    /** Seed 003: no wait longer than 10 s. */
    Duration DEFAULT_MAX = Duration.ofSeconds(10);

    /**
     * The delay before retry number {@code attempt} (1 for the first retry), in nanoseconds, never negative.
     */
    long nextDelayNanos(int attempt);

    /** Full-jitter exponential backoff with a thread-local random source. */
    static Backoff exponential(Duration initial, Duration max) {
        return exponential(initial, max, null);
    }

    /** Full-jitter exponential backoff drawing from {@code random} (null: thread-local), for tests. */
    static Backoff exponential(Duration initial, Duration max, RandomGenerator random) {
        long initialNanos = positive(initial, "initial");
        long maxNanos = positive(max, "max");
        if (maxNanos < initialNanos) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= initial " + initial + ")");
        }
        return attempt -> {
            long ceiling = exponentialCeiling(initialNanos, maxNanos, attempt);
            return ceiling == 0 ? 0 : source(random).nextLong(ceiling + 1);
        };
    }

    /** The seed-003 default: full jitter from 100 ms up to 10 s. */
    static Backoff ofDefault() {
        return exponential(DEFAULT_INITIAL, DEFAULT_MAX);
    }

    /** The same delay before every retry. */
    static Backoff fixed(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        long nanos = delay.toNanos();
        return attempt -> nanos;
    }

    /**
     * This backoff with each delay scaled by a random factor in {@code [1 - ratio, 1 + ratio]}, as Armeria's
     * {@code Backoff.withJitter}.
     */
    default Backoff withJitter(double ratio, RandomGenerator random) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0..1)");
        }
        Backoff base = this;
        return attempt -> {
            long delay = base.nextDelayNanos(attempt);
            double factor = 1 - ratio + source(random).nextDouble() * 2 * ratio;
            return Math.max(0, (long) (delay * factor));
        };
    }

    /** {@link #withJitter(double, RandomGenerator)} with a thread-local random source. */
    default Backoff withJitter(double ratio) {
        return withJitter(ratio, null);
    }

    /** {@code min(max, initial * 2^(attempt-1))} without overflow. */
    static long exponentialCeiling(long initialNanos, long maxNanos, int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt: " + attempt + " (expected: >= 1)");
        }
        int shift = attempt - 1;
        if (shift >= 63 || initialNanos > (maxNanos >> shift)) {
            return maxNanos;
        }
        return Math.min(maxNanos, initialNanos << shift);
    }

    private static long positive(Duration d, String name) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
        }
        return d.toNanos();
    }

    private static RandomGenerator source(RandomGenerator random) {
        return random != null ? random : ThreadLocalRandom.current();
    }
}
