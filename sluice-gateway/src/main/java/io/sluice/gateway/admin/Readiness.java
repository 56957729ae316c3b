package io.sluice.gateway.admin;

import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.ListenerConfig;
import io.sluice.core.config.RouteConfig;
import io.sluice.core.config.SluiceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * Whether this process should receive traffic, and if not, why: the source of truth behind {@code /readyz}.
 *
 * <p>The process is ready only when all of these hold:
 * <ul>
 *   <li>at least one listener is expected, and every expected listener is bound;
 *   <li>every route has at least one backend that {@link BackendUsability} calls usable (until health
 *       checking plugs in, every configured backend is usable, so this means "has a backend");
 *   <li>the process is not draining.
 * </ul>
 *
 * <p>The gateway feeds it: {@link #expectListener} for each configured listener before binding,
 * {@link #listenerBound} once the bind succeeds, {@link #setRoutes} with the routes in force, and
 * {@link #startDraining} on a stop signal. Each change swaps an immutable snapshot (compare-and-set,
 * no locks); {@link #status()} reads one volatile reference and evaluates the usability predicate
 * against that snapshot, so a scrape never waits on a writer and always sees a consistent state.
 */
public final class Readiness {

    /**
     * Decides whether a backend of a route can take traffic now. Called on every {@link #status()},
     * from the admin event loop, so it must be cheap and non-blocking (read state, do not probe).
     */
    @FunctionalInterface
    public interface BackendUsability {

        /** Every configured backend is usable: the rule until health checking exists. */
        BackendUsability CONFIGURED = (route, backend) -> true;

        boolean isUsable(RouteConfig route, BackendConfig backend);
    }

    /**
     * One readiness verdict.
     *
     * @param ready   whether the process should receive traffic
     * @param reasons why not, in a stable order (listeners, routes, draining); empty exactly when ready
     */
    public record Status(boolean ready, List<String> reasons) {
        public Status {
            reasons = List.copyOf(reasons);
        }
    }

    private record Listener(String name, boolean bound) {}

    private record State(
            List<Listener> listeners, List<RouteConfig> routes, BackendUsability usability, boolean draining) {

        State withListener(String name, boolean bound) {
            List<Listener> next = new ArrayList<>(listeners.size() + 1);
            boolean found = false;
            for (Listener l : listeners) {
                if (l.name().equals(name)) {
                    next.add(new Listener(name, bound));
                    found = true;
                } else {
                    next.add(l);
                }
            }
            if (!found) {
                next.add(new Listener(name, bound));
            }
            return new State(List.copyOf(next), routes, usability, draining);
        }

        State withoutListener(String name) {
            List<Listener> next = listeners.stream().filter(l -> !l.name().equals(name)).toList();
            return new State(next, routes, usability, draining);
        }
    }

    /** A gateway with tcp listeners (or a tunnel) serves traffic even without HTTP routes. */
    private volatile boolean forwardsTcp;

    /** Further conditions (a tunnel client's connection, an L4 group's usable backend), each with its reason. */
    private record Condition(String reason, java.util.function.BooleanSupplier holds) {}

    private final List<Condition> conditions = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final AtomicReference<State> state =
            new AtomicReference<>(new State(List.of(), List.of(), BackendUsability.CONFIGURED, false));

    /** A readiness that expects every listener of {@code config} and knows its routes; nothing bound yet. */
    public static Readiness forConfig(SluiceConfig config) {
        Readiness readiness = new Readiness();
        for (ListenerConfig listener : config.server().listeners()) {
            readiness.expectListener(listener.name());
        }
        readiness.setRoutes(config.routes());
        readiness.forwardsTcp = !config.tcp().isEmpty() || !config.udp().isEmpty()
                || config.tunnel().isPresent();
        return readiness;
    }

    /** The process will serve on a listener of this name; not ready until it is bound. No-op if already known. */
    public void expectListener(String name) {
        Objects.requireNonNull(name, "name");
        update(s -> s.listeners().stream().anyMatch(l -> l.name().equals(name)) ? s : s.withListener(name, false));
    }

    /** The listener's socket is bound and accepting. Implies {@link #expectListener}. */
    public void listenerBound(String name) {
        Objects.requireNonNull(name, "name");
        update(s -> s.withListener(name, true));
    }

    /** The listener's socket closed (or failed); it is still expected, so the process is not ready. */
    public void listenerUnbound(String name) {
        Objects.requireNonNull(name, "name");
        update(s -> s.withListener(name, false));
    }

    /** The listener is no longer part of the configuration (e.g. removed by a reload). */
    public void forgetListener(String name) {
        Objects.requireNonNull(name, "name");
        update(s -> s.withoutListener(name));
    }

    /** The routes in force, replacing any earlier set. */
    public void setRoutes(List<RouteConfig> routes) {
        List<RouteConfig> copy = List.copyOf(routes);
        update(s -> new State(s.listeners(), copy, s.usability(), s.draining()));
    }

    /** Plugs in the rule for "usable backend" (health checking); {@link BackendUsability#CONFIGURED} by default. */
    public void setBackendUsability(BackendUsability usability) {
        Objects.requireNonNull(usability, "usability");
        update(s -> new State(s.listeners(), s.routes(), usability, s.draining()));
    }

    /**
     * One more thing that must hold for the process to be ready, checked on every {@link #status()} (so cheap and
     * non-blocking); while it is false, {@code reason} is listed.
     */
    public void require(String reason, java.util.function.BooleanSupplier holds) {
        conditions.add(new Condition(Objects.requireNonNull(reason, "reason"), Objects.requireNonNull(holds, "holds")));
    }

    /** The process is shutting down: not ready from now on. There is no way back. */
    public void startDraining() {
        update(s -> s.draining() ? s : new State(s.listeners(), s.routes(), s.usability(), true));
    }

    public boolean draining() {
        return state.get().draining();
    }

    public boolean isReady() {
        return status().ready();
    }

    /** The verdict now, with the reasons when not ready. Lock-free. */
    public Status status() {
        State s = state.get();
        List<String> reasons = new ArrayList<>(2);
        if (s.listeners().isEmpty()) {
            reasons.add("no listener configured");
        }
        for (Listener l : s.listeners()) {
            if (!l.bound()) {
                reasons.add("listener " + l.name() + " not bound");
            }
        }
        if (s.routes().isEmpty() && !forwardsTcp) {
            // Nothing could be served: saying "ready" would draw traffic that can only get 404s.
            reasons.add("no route configured");
        }
        for (RouteConfig route : s.routes()) {
            if (!hasUsableBackend(route, s.usability())) {
                reasons.add("route " + route.name() + " has no usable backend");
            }
        }
        for (Condition c : conditions) {
            boolean holds;
            try {
                holds = c.holds().getAsBoolean();
            } catch (RuntimeException e) {
                holds = false;
            }
            if (!holds) {
                reasons.add(c.reason());
            }
        }
        if (s.draining()) {
            reasons.add("draining");
        }
        return new Status(reasons.isEmpty(), reasons);
    }

    private static boolean hasUsableBackend(RouteConfig route, BackendUsability usability) {
        if (route.files().isPresent()) {
            return true; // a static route needs no backend
        }
        for (BackendConfig backend : route.backends()) {
            boolean usable;
            try {
                usable = usability.isUsable(route, backend);
            } catch (RuntimeException e) {
                // A broken predicate must not make /readyz fail open (or throw); count the backend as unusable.
                usable = false;
            }
            if (usable) {
                return true;
            }
        }
        return false;
    }


    private void update(UnaryOperator<State> change) {
        state.updateAndGet(change);
    }
}
