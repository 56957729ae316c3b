package io.sluice.core.config;

import java.util.List;
import java.util.Optional;

/**
 * A route ({@code routes[i]}): which requests it takes and the backends that serve them.
 *
 * @param name       unique name, used in metrics
 * @param host       match the request's Host (without port), if set
 * @param pathPrefix match requests whose path starts with this (default {@code /})
 * @param balancer   the algorithm spreading requests over the backends, and its options
 * @param backends   at least one
 */
public record RouteConfig(
        String name, Optional<String> host, String pathPrefix, BalancerConfig balancer, List<BackendConfig> backends) {

    public RouteConfig {
        backends = List.copyOf(backends);
    }
}
