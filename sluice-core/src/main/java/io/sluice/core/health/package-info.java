/**
 * Backend health: active checks, passive outlier detection, and the rule combining them per route.
 *
 * <p>Starting points:
 * <ul>
 *   <li>{@link io.sluice.core.health.HealthChecker}: probes backends ({@code http}, {@code tcp} or a
 *       {@code custom} command) on a bounded worker pool with jittered intervals, and keeps a rise/fall state
 *       per backend (HAProxy's {@code rise}/{@code fall}).
 *   <li>{@link io.sluice.core.health.OutlierDetector}: one per route; ejects backends whose exchanges fail
 *       repeatedly, for a growing time, never more than a share of the route (Envoy's outlier detection).
 *   <li>{@link io.sluice.core.health.BackendAvailability}: "usable now" = healthy and not ejected, and the
 *       route's choice when nothing is usable: 503, or panic routing over every backend.
 *   <li>{@link io.sluice.core.health.HealthListener}: told of every change, to rebuild balancers, evict idle
 *       pooled connections and update {@code /readyz}.
 * </ul>
 * Backends are named by {@code host:port} ({@code BackendConfig.address()}). Implementation details (the
 * checks, the state machine, jitter) are in {@code io.sluice.core.health.internal}.
 */
package io.sluice.core.health;
