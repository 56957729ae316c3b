package io.sluice.core.health;

import io.sluice.core.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Whether a route's backends may take traffic now: healthy by active checks and not ejected by the route's
 * outlier detector. {@link #select} applies the route-level rule for when none may: answer 503 (default),
 * or with {@code panic_routing: true} spread traffic over all of them anyway, as Envoy's panic threshold
 * does at its limit, on the bet that a sick backend beats a certain 503.
 *
 * <p>Use: rebuild the route's balancer from {@code select(backends, Backend::address)} at start and on every
 * {@link HealthListener} event of the checker and of the route's detector; {@link #isUsable} is cheap
 * enough for a per-pick check too.
 */
public final class BackendAvailability {

    private final HealthStatus active;
    private final OutlierDetector passive;
    private final boolean panicRouting;

    private BackendAvailability(HealthStatus active, OutlierDetector passive, boolean panicRouting) {
        this.active = Objects.requireNonNull(active, "active");
        this.passive = Objects.requireNonNull(passive, "passive");
        this.panicRouting = panicRouting;
    }

    /** For one route: its {@code panic_routing}, the shared checker and the route's own detector. */
    public static BackendAvailability forRoute(RouteConfig route, HealthStatus active, OutlierDetector passive) {
        return new BackendAvailability(active, passive, route.panicRouting());
    }

    public static BackendAvailability of(HealthStatus active, OutlierDetector passive, boolean panicRouting) {
        return new BackendAvailability(active, passive, panicRouting);
    }

    /** Healthy by active checks and not ejected. */
    public boolean isUsable(String backend) {
        return active.isHealthy(backend) && !passive.isEjected(backend);
    }

    /**
     * The backends the balancer should use: the usable ones; when there are none, all of them in panic mode
     * or none at all (answer 503). {@code address} gives each backend's {@code host:port}.
     */
    public <B> Selection<B> select(List<B> backends, Function<? super B, String> address) {
        List<B> usable = new ArrayList<>(backends.size());
        for (B backend : backends) {
            if (isUsable(address.apply(backend))) {
                usable.add(backend);
            }
        }
        if (!usable.isEmpty() || backends.isEmpty()) {
            return new Selection<>(usable, false);
        }
        return panicRouting ? new Selection<>(backends, true) : new Selection<>(List.of(), false);
    }

    /**
     * What {@link #select} chose.
     *
     * @param backends the list to balance over; empty means answer 503
     * @param panic    true when every backend is down and panic routing handed them all back
     */
    public record Selection<B>(List<B> backends, boolean panic) {

        public Selection {
            backends = List.copyOf(backends);
        }

        /** Nothing to route to: the route answers 503 and is not ready. */
        public boolean unavailable() {
            return backends.isEmpty();
        }
    }
}
