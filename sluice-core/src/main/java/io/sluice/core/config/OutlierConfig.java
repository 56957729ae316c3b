package io.sluice.core.config;

import java.time.Duration;

/**
 * Passive health, or outlier detection ({@code routes[i].outlier_detection:}), after Envoy's
 * consecutive-5xx detector: a backend whose exchanges fail {@code consecutiveFailures} times in a row is
 * ejected from the route for {@code baseEjectionTime × times ejected}, at most {@code maxEjectionTime}.
 * Absent from a route: no passive detection there.
 *
 * @param consecutiveFailures connect failures or 5xx responses in a row that eject (default 5)
 * @param baseEjectionTime    the first ejection's length (default 30 s)
 * @param maxEjectionTime     the longest ejection (default 300 s), at least {@code baseEjectionTime}
 * @param maxEjectionPercent  never eject more than this share of the route's backends at once (default 50)
 */
public record OutlierConfig(
        int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {}
