package io.sluice.client;

import java.time.Duration;

/**
 * Retries of idempotent calls (seed 002: 3 attempts): exponential backoff with full jitter, the n-th retry waiting a
 * uniformly random time in {@code [0, min(maxBackoff, initialBackoff × 2^(n-1))]}; a 429 or 503 with
 * {@code Retry-After} waits what the server asked instead, unless that is longer than {@code maxRetryAfter}, in which
 * case the error is returned at once.
 *
 * <p>Retried: connection failures, 502, 503, 504 and 429 for idempotent calls (GET, PATCH of a weight, DELETE, drain,
 * enable, a batch of only those); for the others (job creation, adding a backend, batches holding one) only a 429 (the
 * rate limiter refused it before it ran) and a request that certainly never left the client.
 *
 * @param maxAttempts    attempts in all, 1 disables retries
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts: must be 1..100, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0 || maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("backoff: need 0 <= initialBackoff <= maxBackoff and maxRetryAfter >= 0, got "
                    + initialBackoff + ", " + maxBackoff + ", " + maxRetryAfter);
        }
    }

    /** 3 attempts, 100 ms doubling up to 2 s, Retry-After honoured up to 30 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(30));
    }

    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The ceiling of retry {@code retry} (1-based), before jitter. */
    long ceilingNanos(int retry) {
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int shift = Math.min(Math.max(retry - 1, 0), 40);
        long ceiling = initial << shift;
        return ceiling <= 0 || ceiling > max || ceiling >>> shift != initial ? max : ceiling;
    }
}
