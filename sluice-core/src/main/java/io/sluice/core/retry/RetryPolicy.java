package io.sluice.core.retry;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A route's retry rules ({@code routes[i].retry:}, seed 003). Immutable; validated by the config binder.
 *
 * @param maxRetries          retries after the first try, 0 disables retrying (default 2)
 * @param initialBackoff      ceiling of the first retry's full-jitter wait (default 100 ms)
 * @param maxBackoff          ceiling of any wait (default 10 s)
 * @param retryOn             the failures that are retried (default both)
 * @param retryStatuses       response statuses that are retried (default 502, 503, 504)
 * @param replayBufferSize    request body bytes kept for replay; a larger body makes a request
 *                            non-retryable once it has reached a backend (default 64 KiB)
 * @param perTryTimeout       how long one try may wait for a response head; empty: only the overall deadline
 * @param budgetPercent       retries may add at most this share of a route's requests (default 20)
 * @param budgetMinPerSecond  retries always allowed per second regardless of traffic (default 3)
 */
public record RetryPolicy(
        int maxRetries,
        Duration initialBackoff,
        Duration maxBackoff,
        Set<Condition> retryOn,
        Set<Integer> retryStatuses,
        int replayBufferSize,
        Optional<Duration> perTryTimeout,
        int budgetPercent,
        int budgetMinPerSecond) {

    /** Per-request default (seed 003). */
    public static final int DEFAULT_MAX_RETRIES = 2;

    /** Connection-level default (seed 003): attempts for whole transfers and tunnels, not for requests. */
    public static final int CONNECTION_DEFAULT_MAX_ATTEMPTS = 5;

    public static final Set<Integer> DEFAULT_STATUSES = Set.of(502, 503, 504);
    public static final int DEFAULT_REPLAY_BUFFER = 64 * 1024;
    public static final int DEFAULT_BUDGET_PERCENT = 20;
    public static final int DEFAULT_BUDGET_MIN_PER_SECOND = 3;

    /** The policy of a route with no {@code retry:} block. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(
            DEFAULT_MAX_RETRIES, Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, EnumSet.allOf(Condition.class),
            DEFAULT_STATUSES, DEFAULT_REPLAY_BUFFER, Optional.empty(), DEFAULT_BUDGET_PERCENT,
            DEFAULT_BUDGET_MIN_PER_SECOND);

    /** A policy that never retries. */
    public static final RetryPolicy NONE = new RetryPolicy(
            0, Backoff.DEFAULT_INITIAL, Backoff.DEFAULT_MAX, Set.of(), Set.of(), 0, Optional.empty(), 0, 0);

    /** Failures other than a status code that a policy may retry ({@code retry_on} names). */
    public enum Condition {
        /** The backend refused the connection, connecting timed out, or no pooled connection became free. */
        CONNECT_FAILURE("connect_failure"),
        /** The connection closed or reset before any byte of the response arrived. */
        RESET_BEFORE_RESPONSE("reset_before_response");

        private final String key;

        Condition(String key) {
            this.key = key;
        }

        /** The name in {@code retry_on}, and the metric's {@code reason} tag. */
        public String key() {
            return key;
        }
    }

    public RetryPolicy {
        retryOn = retryOn.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(retryOn));
        retryStatuses = Set.copyOf(retryStatuses);
    }

    public boolean retries(Condition condition) {
        return maxRetries > 0 && retryOn.contains(condition);
    }

    public boolean retriesStatus(int status) {
        return maxRetries > 0 && retryStatuses.contains(status);
    }

    /** The backoff these settings describe (full jitter). */
    public Backoff backoff() {
        return Backoff.exponential(initialBackoff, maxBackoff);
    }
}
