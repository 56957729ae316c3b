package io.sluice.gateway.control;

import io.netty.channel.EventLoopGroup;
import io.sluice.core.balance.Backend;
import io.sluice.core.balance.BalancingStrategy;
import io.sluice.core.config.BackendConfig;
import io.sluice.core.config.RouteConfig;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.health.BackendAvailability;
import io.sluice.core.health.HealthChecker;
import io.sluice.core.health.OutlierDetector;
import io.sluice.core.metrics.MicrometerPoolMetrics;
import io.sluice.core.pool.UpstreamPool;
import io.sluice.gateway.admin.Readiness;
import io.sluice.gateway.metrics.GatewayMetrics;
import io.sluice.gateway.proxy.Bandwidth;
import io.sluice.gateway.proxy.ProxyContext;
import io.sluice.gateway.proxy.Route;
import io.sluice.gateway.proxy.RouteTable;
import io.sluice.gateway.transport.Transport;
import io.sluice.gateway.upstream.HttpCodecLimits;
import io.sluice.gateway.upstream.HttpConnectionFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's routes as they are now, and every runtime change to them: backends added, removed, drained,
 * re-weighted, and whole reloads. Requests never wait on a change: a route's balancer is swapped whole, a reload
 * swaps the whole route table, and exchanges that already picked a backend keep it until they finish. A pool whose
 * address no route uses any more is closed only once nothing is in flight on it (or {@code drain_timeout} passed).
 *
 * <p>Changes are serialised on this object; reads are lock-free.
 */
public final class LiveRoutes implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LiveRoutes.class);

    /** Between a removal and the first look at whether its pool may close: covers picks made just before it. */
    private static final long RETIRE_CHECK_MILLIS = 200;

    private final Transport transport;
    private final EventLoopGroup workers;
    private final GatewayMetrics metrics;
    private final Readiness readiness;
    private final Map<String, UpstreamPool> pools = new ConcurrentHashMap<>();
    private final HealthChecker healthChecker;
    private final RouteHealth onHealthChange;
    /** Process-wide bandwidth throttles, fixed at start: a reload that changes {@code bandwidth:} needs a restart. */
    private final Bandwidth.Global bandwidth;
    private volatile SluiceConfig config;
    private volatile List<Route> routes;
    private volatile ProxyContext proxy;
    private volatile boolean closed;

    public LiveRoutes(SluiceConfig config, Transport transport, EventLoopGroup workers, GatewayMetrics metrics,
                      Readiness readiness) {
        this.config = config;
        this.transport = transport;
        this.workers = workers;
        this.metrics = metrics;
        this.readiness = readiness;
        this.onHealthChange = new RouteHealth(() -> routes, pools);
        this.bandwidth = Bandwidth.Global.of(config.bandwidth());
        this.healthChecker = HealthChecker.builder()
                .workers(config.healthChecks().workers())
                .eventLoops(workers, transport.socketChannel())
                .meterRegistry(metrics.registry())
                .build();
        healthChecker.addListener(onHealthChange);
        List<Route> built = new ArrayList<>();
        for (RouteConfig route : config.routes()) {
            built.add(newRoute(route, null));
        }
        this.routes = List.copyOf(built);
        readiness.setBackendUsability((route, backend) -> {
            Route live = find(route.name());
            return live == null || live.usable(backend.address());
        });
        healthChecker.watchAll(config.routes());
    }

    /** The table to start serving with; {@link #attach} then lets reloads swap it. */
    public RouteTable table() {
        return new RouteTable(routes);
    }

    public void attach(ProxyContext proxy) {
        this.proxy = proxy;
    }

    /** The configuration in force: the file's, with routes as changed at runtime. */
    public SluiceConfig config() {
        return config;
    }

    public List<Route> routes() {
        return routes;
    }

    public HealthChecker healthChecker() {
        return healthChecker;
    }

    /** Every open pool by backend address. */
    public Map<String, UpstreamPool> pools() {
        return Map.copyOf(pools);
    }

    /** The route named {@code name}, or null. */
    public Route find(String name) {
        for (Route route : routes) {
            if (route.name().equals(name)) {
                return route;
            }
        }
        return null;
    }

    /** The route named {@code name}. */
    public Route route(String name) {
        Route route = find(name);
        if (route == null) {
            throw new ControlException(ControlException.Kind.NOT_FOUND, "no route named \"" + name + "\" (routes: "
                    + routes.stream().map(Route::name).toList() + ")");
        }
        return route;
    }

    /** The backend {@code address} ({@code host:port}) of route {@code routeName}. */
    public Backend backend(String routeName, String address) {
        Route route = route(routeName);
        return backendOf(route, address);
    }

    private static Backend backendOf(Route route, String address) {
        for (Backend backend : route.backends()) {
            if (backend.address().equals(address)) {
                return backend;
            }
        }
        throw new ControlException(ControlException.Kind.NOT_FOUND, "route \"" + route.name()
                + "\" has no backend \"" + address + "\" (backends: "
                + route.backends().stream().map(Backend::address).toList() + ")");
    }

    /** Adds a backend to a route; it takes traffic at once (health-checked like the others). */
    public synchronized Backend add(String routeName, BackendConfig backend) {
        Route route = route(routeName);
        if (route.files() != null) {
            throw new ControlException(ControlException.Kind.CONFLICT,
                    "route \"" + routeName + "\" serves static files and has no backends");
        }
        String address = backend.address();
        if (route.backends().stream().anyMatch(b -> b.address().equals(address))) {
            throw new ControlException(ControlException.Kind.CONFLICT,
                    "route \"" + routeName + "\" already has backend \"" + address + "\"");
        }
        Backend live = new Backend(backend, pool(backend));
        live.slowStart(route.config().balancer().slowStart());
        List<Backend> next = new ArrayList<>(route.backends());
        next.add(live);
        healthChecker.watch(backend, route.config().healthChecks());
        replaceBackends(route, next);
        log.info("route {}: backend {} added (weight {})", routeName, address, backend.weight());
        return live;
    }

    /** Removes a backend from a route: no new requests; those in flight finish. A route's last backend stays. */
    public synchronized Backend remove(String routeName, String address) {
        Route route = route(routeName);
        Backend gone = backendOf(route, address);
        if (route.backends().size() == 1) {
            throw new ControlException(ControlException.Kind.CONFLICT, "backend \"" + address
                    + "\" is the last one of route \"" + routeName + "\"; add another before removing it");
        }
        List<Backend> next = new ArrayList<>(route.backends());
        next.remove(gone);
        replaceBackends(route, next);
        log.info("route {}: backend {} removed ({} request(s) in flight finish)", routeName, address,
                gone.inFlight());
        retireUnused(List.of(gone));
        return gone;
    }

    /** Drains ({@code drain}) or enables a backend; idempotent. */
    public synchronized Backend drain(String routeName, String address, boolean drain) {
        Route route = route(routeName);
        Backend backend = backendOf(route, address);
        if (route.drain(address, drain)) {
            log.info("route {}: backend {} {}", routeName, address, drain ? "draining" : "enabled");
            publishRoutes();
        }
        return backend;
    }

    /** Changes a backend's weight (1..1000); the route's balancer is rebuilt with it. */
    public synchronized Backend weight(String routeName, String address, int weight) {
        Route route = route(routeName);
        Backend backend = backendOf(route, address);
        if (weight < 1 || weight > 1000) {
            throw new ControlException(ControlException.Kind.INVALID, "weight: must be 1..1000, got " + weight);
        }
        backend.weight(weight);
        route.rebuild();
        publishRoutes();
        log.info("route {}: backend {} weight {}", routeName, address, weight);
        return backend;
    }

    /**
     * Applies a new configuration's routes, backends and limits at once; sections that need a restart keep their
     * running values and are listed in the result.
     */
    public synchronized ReloadResult reload(SluiceConfig next) {
        SluiceConfig running = config;
        List<String> restart = ReloadResult.restartRequired(running, next, proxy != null && proxy.compressing());
        List<String> changes = new ArrayList<>();
        List<Route> before = routes;
        List<Route> after = new ArrayList<>();
        Set<Backend> kept = new HashSet<>();
        for (RouteConfig rc : next.routes()) {
            Route old = find(rc.name());
            after.add(newRoute(rc, old));
            if (old == null) {
                changes.add("route " + rc.name() + ": added");
            } else {
                ReloadResult.describe(old.config(), rc, changes, restart);
            }
        }
        for (Route r : after) {
            kept.addAll(r.backends());
        }
        for (Route old : before) {
            if (after.stream().noneMatch(r -> r.name().equals(old.name()))) {
                changes.add("route " + old.name() + ": removed");
            }
        }
        for (RouteConfig rc : next.routes()) {
            for (BackendConfig b : rc.backends()) {
                healthChecker.watch(b, rc.healthChecks());
            }
        }
        this.routes = List.copyOf(after);
        ProxyContext p = proxy;
        if (p != null) {
            p.routes(new RouteTable(this.routes));
        }
        this.config = withRoutes(running, next.routes());
        publishRoutes();
        List<Backend> dropped = new ArrayList<>();
        for (Route old : before) {
            for (Backend b : old.backends()) {
                if (!kept.contains(b)) {
                    dropped.add(b);
                }
            }
        }
        retireUnused(dropped);
        log.info("configuration reloaded: {} change(s){}", changes.size(),
                restart.isEmpty() ? "" : "; need a restart: " + restart);
        return new ReloadResult(true, null, changes, restart);
    }

    /**
     * A route for {@code rc}, reusing {@code old}'s backends (their in-flight counts, latency and pools) for
     * addresses it keeps, and {@code old}'s drains. Health is wired; weights are the file's.
     */
    private Route newRoute(RouteConfig rc, Route old) {
        List<Backend> backends = new ArrayList<>();
        for (BackendConfig bc : rc.backends()) {
            Backend reuse = null;
            if (old != null) {
                for (Backend b : old.backends()) {
                    if (b.address().equals(bc.address()) && b.config().maxConnections() == bc.maxConnections()) {
                        reuse = b;
                    }
                }
            }
            Backend live = reuse != null ? reuse : new Backend(bc, pool(bc));
            live.weight(bc.weight());
            live.slowStart(rc.balancer().slowStart());
            backends.add(live);
        }
        Route route = new Route(rc, backends, BalancingStrategy.named(rc.algorithm(), rc.balancer().hashKey(),
                rc.balancer().ewmaDecay(), BalancingStrategy.THREAD_LOCAL_RANDOM), bandwidth);
        if (old != null) {
            for (Backend b : backends) {
                if (old.drained(b.address())) {
                    route.drain(b.address(), true);
                }
            }
        }
        OutlierDetector outliers = outliers(rc, backends);
        route.health(BackendAvailability.forRoute(rc, healthChecker, outliers), outliers);
        return route;
    }

    private OutlierDetector outliers(RouteConfig rc, List<Backend> backends) {
        List<String> addresses = backends.stream().map(Backend::address).toList();
        OutlierDetector outliers = rc.outlierDetection()
                .map(o -> OutlierDetector.builder(rc.name(), o, addresses).meterRegistry(metrics.registry()).build())
                .orElse(OutlierDetector.disabled());
        outliers.addListener(onHealthChange);
        return outliers;
    }

    private void replaceBackends(Route route, List<Backend> next) {
        RouteConfig rc = route.config();
        List<BackendConfig> configs = next.stream().map(LiveRoutes::currentConfig).toList();
        RouteConfig now = new RouteConfig(rc.name(), rc.host(), rc.pathPrefix(), rc.algorithm(), configs, rc.files(),
                rc.compression(), rc.maxBodySize(), rc.healthChecks(), rc.outlierDetection(), rc.panicRouting(),
                rc.balancer(), rc.retry(), rc.rateLimit(), rc.bandwidth(), rc.requestDecompression());
        OutlierDetector outliers = outliers(now, next);
        route.backends(now, next, BackendAvailability.forRoute(now, healthChecker, outliers), outliers);
        publishRoutes();
    }

    /** A backend's configuration with its weight as it is now. */
    static BackendConfig currentConfig(Backend b) {
        BackendConfig c = b.config();
        return new BackendConfig(c.host(), c.port(), b.weight(), c.maxConnections());
    }

    /** Tells readiness, and the running config, what the routes are now. */
    private void publishRoutes() {
        List<RouteConfig> now = new ArrayList<>();
        for (Route route : routes) {
            now.add(route.config());
        }
        readiness.setRoutes(now);
        config = withRoutes(config, now);
    }

    private static SluiceConfig withRoutes(SluiceConfig c, List<RouteConfig> routes) {
        return new SluiceConfig(c.server(), c.connectionSettings(), c.timeouts(), c.connectionPool(), c.proxy(),
                c.admin(), c.accessLog(), routes, c.compression(), c.tcp(), c.healthChecks());
    }

    private UpstreamPool pool(BackendConfig backend) {
        return pools.computeIfAbsent(backend.address(), a -> {
            SluiceConfig c = config;
            HttpConnectionFactory factory = new HttpConnectionFactory(transport, backend, c.timeouts(),
                    c.connectionSettings(), HttpCodecLimits.defaults(c.server().bufferSize()));
            return UpstreamPool.builder(backend.address(), factory)
                    .config(c.connectionPool())
                    .maxConnections(backend.maxConnections())
                    .eventLoops(workers)
                    .metrics(MicrometerPoolMetrics.factory(metrics.registry()))
                    .build();
        });
    }

    private boolean referenced(String address) {
        for (Route route : routes) {
            for (Backend b : route.backends()) {
                if (b.address().equals(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Closes the pools (and stops the checks) of addresses no route uses any more, once their requests in flight
     * have finished or {@code drain_timeout} has passed. An address added back meanwhile keeps its pool.
     */
    private void retireUnused(List<Backend> dropped) {
        Map<String, List<Backend>> byAddress = new LinkedHashMap<>();
        for (Backend b : dropped) {
            if (!referenced(b.address())) {
                byAddress.computeIfAbsent(b.address(), a -> new ArrayList<>()).add(b);
            }
        }
        long deadline = System.nanoTime() + config.server().drainTimeout().toNanos();
        byAddress.forEach((address, backends) -> scheduleRetire(address, backends, deadline));
    }

    private void scheduleRetire(String address, List<Backend> backends, long deadline) {
        if (closed) {
            return;
        }
        workers.next().schedule(() -> {
            synchronized (this) {
                if (closed || referenced(address)) {
                    return;
                }
                UpstreamPool pool = pools.get(address);
                boolean busy = backends.stream().anyMatch(b -> b.inFlight() > 0)
                        || (pool != null && (pool.stats().active() > 0 || pool.stats().pending() > 0));
                if (busy && System.nanoTime() < deadline) {
                    scheduleRetire(address, backends, deadline);
                    return;
                }
                pools.remove(address);
                healthChecker.unwatch(address);
                if (pool != null) {
                    pool.close();
                }
                log.info("backend {}: pool closed (no route uses it)", address);
            }
        }, RETIRE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        closed = true;
        healthChecker.close();
        pools.values().forEach(UpstreamPool::close);
    }
}
