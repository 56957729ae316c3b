package io.sluice.core.health;

/**
 * Told once per change of a backend's usability, by {@link HealthChecker} (active checks) and by
 * {@link OutlierDetector} (passive ejection). The gateway rebuilds the route's balancer from
 * {@link BackendAvailability#select}, evicts the backend's idle pooled connections when it goes down
 * ({@code UpstreamPool.evictIdle()}), and re-evaluates {@code /readyz}.
 *
 * <p>Called on a health worker or scheduler thread, never on an event loop; keep it short. An exception
 * is logged and does not stop other listeners.
 */
@FunctionalInterface
public interface HealthListener {

    /**
     * @param backend the backend's {@code host:port} ({@code BackendConfig.address()})
     * @param healthy the new state: true when it may take traffic again
     * @param reason  why, for logs: {@code "3 consecutive failures, last: HTTP 503 (expected 200-399)"}
     */
    void onHealthChanged(String backend, boolean healthy, String reason);
}
