/**
 * The gateway's metrics: {@link io.sluice.gateway.metrics.GatewayMetrics} owns the Prometheus registry
 * that the admin listener's {@code /metrics} scrapes, binds the JVM, process and Netty allocator meters,
 * and gives the proxy hot path cheap, allocation-free recording calls. Names live in
 * {@link io.sluice.gateway.metrics.GatewayMetricNames}; every exported metric is listed in
 * {@code docs/METRICS.md}.
 */
package io.sluice.gateway.metrics;
