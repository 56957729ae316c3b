package io.sluice.core.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A route ({@code routes[i]}): which requests it takes and the backends that serve them.
 *
 * @param name       unique name, used in metrics
 * @param host       match the request's Host (without port), if set
 * @param pathPrefix match requests whose path starts with this (default {@code /})
 * @param algorithm  the balancer, e.g. {@code round_robin}
 * @param backends   at least one
 * @param healthChecks     active checks of this route's backends: the top-level {@code health_checks}, with this
 *                         route's {@code health_checks} keys applied over it
 * @param outlierDetection passive health ({@code outlier_detection}); empty when the route has none
 * @param panicRouting     when every backend is down, use them all anyway instead of answering 503
 */
public record RouteConfig(
        String name,
        Optional<String> host,
        String pathPrefix,
        String algorithm,
        List<BackendConfig> backends,
        HealthCheckConfig healthChecks,
        Optional<OutlierConfig> outlierDetection,
        boolean panicRouting) {

    public RouteConfig {
        backends = List.copyOf(backends);
        Objects.requireNonNull(healthChecks, "healthChecks");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
    }
}
