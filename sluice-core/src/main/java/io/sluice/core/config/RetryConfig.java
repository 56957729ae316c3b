package io.sluice.core.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * A route's retry policy ({@code routes[i].retry:}, issue 4; seeds 002, 003).
 *
 * @param maxRetryAttempts retries after the first attempt (default 2); 0 turns retries off
 * @param initialBackoff   first backoff before retrying the same backend (default 100 ms); another backend is tried at once
 * @param maxBackoff       ceiling of the exponential backoff (default 10 s)
 * @param retryOn          {@code connect_failure}, {@code reset_before_response} and status codes such as 503
 * @param budgetRatio      retries at most this share of the route's requests (default 0.2)
 * @param perTryTimeout    how long one try may wait for its response head before it is given up and retried
 *                         elsewhere; {@link Duration#ZERO} (the default) for no limit beyond the read timeout
 * @param replayBuffer     request body bytes kept for a replay (default 64 KiB); a longer body is never retried
 * @param hedge            whether and when to send a second, racing attempt of an idempotent request
 */
public record RetryConfig(int maxRetryAttempts, Duration initialBackoff, Duration maxBackoff, Set<String> retryOn,
                          double budgetRatio, Duration perTryTimeout, int replayBuffer, HedgeConfig hedge) {

    public static final int DEFAULT_REPLAY_BUFFER = 64 * 1024;

    public static final RetryConfig DEFAULTS = new RetryConfig(2, Duration.ofMillis(100), Duration.ofSeconds(10),
            Set.of("connect_failure", "reset_before_response", "502", "503", "504"), 0.2);

    public RetryConfig {
        retryOn = Set.copyOf(retryOn);
        Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        Objects.requireNonNull(hedge, "hedge");
    }

    /** A policy without per-try timeout or hedging and the default replay buffer. */
    public RetryConfig(int maxRetryAttempts, Duration initialBackoff, Duration maxBackoff, Set<String> retryOn,
                       double budgetRatio) {
        this(maxRetryAttempts, initialBackoff, maxBackoff, retryOn, budgetRatio, Duration.ZERO, DEFAULT_REPLAY_BUFFER,
                HedgeConfig.OFF);
    }

    public boolean retriesOn(String condition) {
        return maxRetryAttempts > 0 && retryOn.contains(condition);
    }

    public boolean retriesOnStatus(int status) {
        return maxRetryAttempts > 0 && retryOn.contains(statusText(status));
    }

    /** 100..599 as text, made once: every response's status is looked up here, most not to be retried. */
    private static final String[] STATUS_TEXT = new String[500];

    static {
        for (int i = 0; i < STATUS_TEXT.length; i++) {
            STATUS_TEXT[i] = Integer.toString(i + 100);
        }
    }

    private static String statusText(int status) {
        return status >= 100 && status < 600 ? STATUS_TEXT[status - 100] : Integer.toString(status);
    }

    /** Whether each try has a deadline for its response head of its own. */
    public boolean hasPerTryTimeout() {
        return !perTryTimeout.isZero();
    }

    /**
     * Hedging ({@code retry.hedge:}): after {@code delay} without a response head (or, with {@code p95}, after the
     * route's observed 95th-percentile latency) an idempotent request is sent once more to another backend; the
     * first response head wins and the other attempt is cancelled.
     *
     * @param enabled off by default
     * @param delay   the fixed delay (default 50 ms); when {@code p95} is set, used until enough latencies are seen
     * @param p95     whether the delay follows the route's observed p95 latency
     */
    public record HedgeConfig(boolean enabled, Duration delay, boolean p95) {

        public static final HedgeConfig OFF = new HedgeConfig(false, Duration.ofMillis(50), false);

        public HedgeConfig {
            Objects.requireNonNull(delay, "delay");
        }
    }
}
