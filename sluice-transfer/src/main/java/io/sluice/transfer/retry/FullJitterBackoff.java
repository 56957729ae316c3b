package io.sluice.transfer.retry;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: a uniformly random delay in {@code [0, min(max, initial * 2^(attempt-1))]}
 * (the "full jitter" of the AWS architecture blog's <i>Exponential Backoff and Jitter</i>), so that
 * workers retrying the same server at once spread out instead of arriving together.
 */
public final class FullJitterBackoff implements RetryBackoff {

    private final long initialNanos;
    private final long maxNanos;

    private FullJitterBackoff(long initialNanos, long maxNanos) {
        if (initialNanos <= 0 || maxNanos < initialNanos) {
            throw new IllegalArgumentException("backoff: initial " + initialNanos + " ns, max " + maxNanos
                    + " ns (expected: 0 < initial <= max)");
        }
        this.initialNanos = initialNanos;
        this.maxNanos = maxNanos;
    }

    public static FullJitterBackoff of(long initialNanos, long maxNanos) {
        return new FullJitterBackoff(initialNanos, maxNanos);
    }

    @Override
    public long delayNanos(int attempt) {
        int shift = Math.min(Math.max(attempt - 1, 0), 40);
        long ceiling = initialNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, initialNanos << shift);
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
