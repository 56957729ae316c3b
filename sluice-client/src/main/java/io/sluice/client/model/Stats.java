package io.sluice.client.model;

import java.util.List;

/** {@code GET /api/v1/stats}: live figures per route and backend; rates over {@code windowSeconds}. */
public record Stats(String timestamp, Double uptimeSeconds, double windowSeconds, List<RouteStats> routes) {

    public record RouteStats(String route, long requests, double requestsPerSecond, long errors,
                             Double errorsPerSecond, Latency latencyMs, List<BackendStats> backends) {}

    public record BackendStats(String address, long responses, double responsesPerSecond, long errors,
                               Double errorsPerSecond, Long inFlight, Latency latencyMs) {}

    /** Milliseconds. */
    public record Latency(double p50, double p99, Double mean, Double max) {}
}
