package io.sluice.core.health;

/** The active-check view of backends, by {@code host:port}; {@link HealthChecker} is the implementation. */
@FunctionalInterface
public interface HealthStatus {

    /** Every backend healthy: for a gateway without active checks. */
    HealthStatus ALL_HEALTHY = backend -> true;

    /** False only while active checks have found {@code backend} down; unknown backends are healthy. */
    boolean isHealthy(String backend);
}
