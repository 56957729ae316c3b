package io.sluice.core.health.internal;

import io.sluice.core.config.HealthCheckConfig;

/** What to probe: the backend's identity, its host and port, and the check settings of the route that chose it. */
public record CheckTarget(String address, String host, int port, HealthCheckConfig config) {}
