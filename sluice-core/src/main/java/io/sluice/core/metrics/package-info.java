/**
 * Metrics: every metric name ({@link io.sluice.core.metrics.MetricNames}, with its Prometheus
 * rendering) and the Micrometer bindings of core components. Start with
 * {@link io.sluice.core.metrics.MicrometerPoolMetrics}, the upstream pool's tracker.
 */
package io.sluice.core.metrics;
