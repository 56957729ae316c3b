package io.sluice.gateway.control;

import io.sluice.core.health.HealthListener;
import io.sluice.core.pool.UpstreamPool;
import io.sluice.gateway.proxy.Route;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a change of a backend's health does to the gateway: its idle pooled connections are closed when it goes
 * down (they would fail, or reach a backend being taken out), and every route that names it rebuilds its balancer.
 * {@code /readyz} reads route usability on each request, so it follows without being told.
 */
final class RouteHealth implements HealthListener {

    private final Supplier<List<Route>> routes;
    private final Map<String, UpstreamPool> pools;

    RouteHealth(Supplier<List<Route>> routes, Map<String, UpstreamPool> pools) {
        this.routes = routes;
        this.pools = pools;
    }

    @Override
    public void onHealthChanged(String backend, boolean healthy, String reason) {
        if (!healthy) {
            UpstreamPool pool = pools.get(backend);
            if (pool != null) {
                pool.evictIdle();
            }
        }
        for (Route route : routes.get()) {
            if (route.backends().stream().anyMatch(b -> b.address().equals(backend))) {
                route.refresh();
            }
        }
    }
}
