package io.sluice.core.config;

import java.time.Duration;
import java.util.Set;

/**
 * A route's retry policy ({@code routes[i].retry:}, issue 4; seeds 002, 003).
 *
 * @param maxRetryAttempts retries after the first attempt (default 2); 0 turns retries off
 * @param initialBackoff   first backoff before retrying the same backend (default 100 ms); another backend is tried at once
 * @param maxBackoff       ceiling of the exponential backoff (default 10 s)
 * @param retryOn          {@code connect_failure}, {@code reset_before_response} and status codes such as 503
 * @param budgetRatio      retries at most this share of the route's requests (default 0.2)
 */
public record RetryConfig(int maxRetryAttempts, Duration initialBackoff, Duration maxBackoff, Set<String> retryOn,
                          double budgetRatio) {

    public static final RetryConfig DEFAULTS = new RetryConfig(2, Duration.ofMillis(100), Duration.ofSeconds(10),
            Set.of("connect_failure", "reset_before_response", "502", "503", "504"), 0.2);

    public RetryConfig {
        retryOn = Set.copyOf(retryOn);
    }

    public boolean retriesOn(String condition) {
        return maxRetryAttempts > 0 && retryOn.contains(condition);
    }

    public boolean retriesOnStatus(int status) {
        return maxRetryAttempts > 0 && retryOn.contains(Integer.toString(status));
    }
}
