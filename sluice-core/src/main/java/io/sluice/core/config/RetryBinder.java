package io.sluice.core.config;

import io.sluice.core.retry.RetryPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds {@code routes[i].retry:} (seed 003) into a {@link RetryPolicy}. */
final class RetryBinder {

    static final List<String> RETRY_KEYS = List.of(
            "max_retry_attempts", "retry_initial_backoff", "retry_max_backoff", "retry_on", "replay_buffer_size",
            "per_try_timeout", "budget_percent", "budget_min_per_second");

    private static final String CONDITIONS = "connect_failure, reset_before_response or a status code 400..599";

    RetryPolicy bind(Node node) {
        Node r = node.mapping(RETRY_KEYS);
        RetryPolicy d = Defaults.RETRY;
        int maxRetries = r.get("max_retry_attempts").integer(d.maxRetries(), 0, 10);
        Node initialNode = r.get("retry_initial_backoff");
        Node maxNode = r.get("retry_max_backoff");
        Duration initial = initialNode.duration(d.initialBackoff(), "0ms", "10m");
        Duration max = maxNode.duration(d.maxBackoff(), "0ms", "10m");
        if (max.compareTo(initial) < 0 && !initialNode.failed() && !maxNode.failed()) {
            // Blame the key the operator wrote, as for server.buffer_size.
            if (maxNode.present()) {
                maxNode.error("must be at least " + initialNode.path() + " (" + Units.formatDuration(initial)
                        + "), got " + maxNode.raw());
            } else {
                initialNode.error("must be at most " + maxNode.path() + " (" + Units.formatDuration(max)
                        + "), got " + initialNode.raw());
            }
        }
        Set<RetryPolicy.Condition> conditions = EnumSet.noneOf(RetryPolicy.Condition.class);
        Set<Integer> statuses = new LinkedHashSet<>();
        Node retryOn = r.get("retry_on");
        if (retryOn.present()) {
            for (Node element : retryOn.elements()) {
                condition(element, conditions, statuses);
            }
        } else {
            conditions.addAll(d.retryOn());
            statuses.addAll(d.retryStatuses());
        }
        int replay = r.get("replay_buffer_size").size(d.replayBufferSize(), "0B", "64MiB");
        Node perTryNode = r.get("per_try_timeout");
        Optional<Duration> perTry = perTryNode.present()
                ? Optional.of(perTryNode.duration(Duration.ofSeconds(1), "1ms", "1h"))
                : d.perTryTimeout();
        int percent = r.get("budget_percent").integer(d.budgetPercent(), 0, 100);
        int minPerSecond = r.get("budget_min_per_second").integer(d.budgetMinPerSecond(), 0, 100_000);
        return new RetryPolicy(maxRetries, initial, max, conditions, statuses, replay, perTry, percent, minPerSecond);
    }

    private static void condition(Node element, Set<RetryPolicy.Condition> conditions, Set<Integer> statuses) {
        if (element.integral()) {
            int status = element.integer(0, 400, 599);
            if (!element.failed()) {
                statuses.add(status);
            }
            return;
        }
        String word = element.string(null);
        if (element.failed()) {
            return;
        }
        for (RetryPolicy.Condition c : RetryPolicy.Condition.values()) {
            if (c.key().equals(word)) {
                conditions.add(c);
                return;
            }
        }
        element.error("must be " + CONDITIONS + ", got " + Node.quote(word));
    }
}
