package io.sluice.core.config;

import static io.sluice.core.config.Yaml.errors;
import static io.sluice.core.config.Yaml.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code routes[i].retry:}: defaults from seed 003, every key, and each mistake's exact message. */
class RetryConfigTest {

    private static final String ROUTE = """
            routes:
              - name: api
                backends: [{host: a, port: 1}]
            """;

    @Test
    void absentRetryBlockTakesSeed003Defaults() {
        RetryPolicy retry = parse(ROUTE).routes().get(0).retry();
        assertThat(retry).isEqualTo(RetryPolicy.DEFAULT);
        assertThat(retry.maxRetries()).isEqualTo(2);
        assertThat(retry.initialBackoff()).isEqualTo(Duration.ofMillis(100));
        assertThat(retry.maxBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(retry.retryStatuses()).containsExactlyInAnyOrder(502, 503, 504);
        assertThat(retry.retryOn()).containsExactlyInAnyOrder(RetryPolicy.Condition.values());
        assertThat(retry.replayBufferSize()).isEqualTo(64 * 1024);
        assertThat(retry.perTryTimeout()).isEmpty();
        assertThat(retry.budgetPercent()).isEqualTo(20);
        assertThat(retry.budgetMinPerSecond()).isEqualTo(3);
    }

    @Test
    void bindsEveryKey() {
        RetryPolicy retry = parse(ROUTE + """
                    retry:
                      max_retry_attempts: 4
                      retry_initial_backoff: 25ms
                      retry_max_backoff: 2s
                      retry_on: [connect_failure, 503, 429]
                      replay_buffer_size: 1MiB
                      per_try_timeout: 750ms
                      budget_percent: 10
                      budget_min_per_second: 0
                """).routes().get(0).retry();
        assertThat(retry).isEqualTo(new RetryPolicy(4, Duration.ofMillis(25), Duration.ofSeconds(2),
                EnumSet.of(RetryPolicy.Condition.CONNECT_FAILURE), Set.of(503, 429), 1024 * 1024,
                Optional.of(Duration.ofMillis(750)), 10, 0));
    }

    @Test
    void zeroAttemptsAndAnEmptyListDisableRetrying() {
        RetryPolicy retry = parse(ROUTE + "    retry: {max_retry_attempts: 0, retry_on: []}\n").routes().get(0).retry();
        assertThat(retry.retries(RetryPolicy.Condition.CONNECT_FAILURE)).isFalse();
        assertThat(retry.retriesStatus(503)).isFalse();
    }

    @Test
    void rejectsValuesOutOfRangeNamingPathAndValue() {
        assertThat(errors(ROUTE + """
                    retry:
                      max_retry_attempts: 11
                      replay_buffer_size: 1GiB
                      per_try_timeout: 0s
                      budget_percent: 101
                """)).containsExactly(
                "routes[0].retry.max_retry_attempts: must be 0..10, got 11",
                "routes[0].retry.replay_buffer_size: must be 0B..64MiB, got 1GiB",
                "routes[0].retry.per_try_timeout: must be 1ms..1h, got 0s",
                "routes[0].retry.budget_percent: must be 0..100, got 101");
    }

    @Test
    void rejectsUnknownRetryConditionsAndStatuses() {
        assertThat(errors(ROUTE + "    retry: {retry_on: [connect_failure, timeout, 200]}\n")).containsExactly(
                "routes[0].retry.retry_on[1]: must be connect_failure, reset_before_response or a status code"
                        + " 400..599, got \"timeout\"",
                "routes[0].retry.retry_on[2]: must be 400..599, got 200");
    }

    @Test
    void rejectsMaxBackoffBelowInitialBlamingTheKeyWritten() {
        assertThat(errors(ROUTE + "    retry: {retry_initial_backoff: 2s, retry_max_backoff: 1s}\n"))
                .containsExactly("routes[0].retry.retry_max_backoff: must be at least"
                        + " routes[0].retry.retry_initial_backoff (2s), got 1s");
        assertThat(errors(ROUTE + "    retry: {retry_initial_backoff: 20s}\n"))
                .containsExactly("routes[0].retry.retry_initial_backoff: must be at most"
                        + " routes[0].retry.retry_max_backoff (10s), got 20s");
    }

    @Test
    void suggestsNearestKeyForTypoAndRejectsHedgingWhichIsNotImplemented() {
        assertThat(errors(ROUTE + "    retry: {max_retry_attempt: 3}\n"))
                .containsExactly("routes[0].retry.max_retry_attempt: unknown key (did you mean \"max_retry_attempts\"?)");
        assertThat(errors(ROUTE + "    retry: {hedge_after: 50ms}\n")).hasSize(1)
                .allMatch(e -> e.startsWith("routes[0].retry.hedge_after: unknown key"));
    }
}
