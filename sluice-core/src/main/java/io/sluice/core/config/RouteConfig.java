package io.sluice.core.config;

import io.sluice.core.retry.RetryPolicy;
import java.util.List;
import java.util.Optional;

/**
 * A route ({@code routes[i]}): which requests it takes and the backends that serve them.
 *
 * @param name       unique name, used in metrics
 * @param host       match the request's Host (without port), if set
 * @param pathPrefix match requests whose path starts with this (default {@code /})
 * @param algorithm  the balancer, e.g. {@code round_robin}
 * @param backends   at least one
 * @param retry      when and how failed requests are retried ({@code retry:}, seed 003)
 */
public record RouteConfig(
        String name, Optional<String> host, String pathPrefix, String algorithm, List<BackendConfig> backends,
        RetryPolicy retry) {

    public RouteConfig {
        backends = List.copyOf(backends);
    }
}
