package io.sluice.gateway.proxy;

import io.sluice.core.balance.Backend;
import io.sluice.core.balance.Balancer;
import io.sluice.core.balance.BalancingStrategy;
import io.sluice.core.config.RouteConfig;
import io.sluice.core.health.BackendAvailability;
import io.sluice.core.health.OutlierDetector;
import io.sluice.core.limit.RateLimiter;
import io.sluice.core.retry.Backoff;
import io.sluice.core.retry.LatencyWindow;
import io.sluice.core.retry.RetryBudget;
import io.sluice.gateway.compress.CompressionPolicy;
import io.sluice.gateway.files.StaticFiles;
import java.util.List;
import java.util.Locale;

/**
 * A configured route bound to its live backends. The balancer works over an immutable snapshot of the backends
 * usable right now and is replaced whole when that set changes (health, ejection, drain), as Armeria's
 * endpoint selectors are: picks never take a lock.
 */
public final class Route {

    private volatile RouteConfig config;
    private volatile List<Backend> backends;
    /** Addresses an operator drained: kept out of the balancer whatever their health. */
    private final java.util.Set<String> drained = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final BalancingStrategy strategy;
    private final StaticFiles files;
    private final CompressionPolicy compression;
    private volatile OutlierDetector outliers = OutlierDetector.disabled();
    private final RetryBudget retryBudget;
    private final RateLimiter rateLimiter;
    private final Backoff backoff;
    private final LatencyWindow latencies;
    private final Bandwidth bandwidth;
    private volatile BackendAvailability availability;
    private volatile Balancer balancer;
    private volatile List<Backend> usable;

    public Route(RouteConfig config, List<Backend> backends, BalancingStrategy strategy) {
        this(config, backends, strategy, Bandwidth.Global.NONE);
    }

    /** @param global the process-wide bandwidth throttles this route's own ones sit under */
    public Route(RouteConfig config, List<Backend> backends, BalancingStrategy strategy, Bandwidth.Global global) {
        this.config = config;
        this.bandwidth = Bandwidth.forRoute(config.bandwidth(), global);
        this.backends = List.copyOf(backends);
        this.strategy = strategy;
        this.retryBudget = new RetryBudget(config.retry().budgetRatio(), 10);
        this.rateLimiter = config.rateLimit().enabled() ? new RateLimiter(config.rateLimit()) : null;
        this.backoff = Backoff.exponential(config.retry().initialBackoff(), config.retry().maxBackoff(),
                BalancingStrategy.THREAD_LOCAL_RANDOM);
        this.latencies = config.retry().hedge().enabled() && config.retry().hedge().p95() ? new LatencyWindow() : null;
        this.files = config.files().map(f -> new StaticFiles(f.root(), config.pathPrefix(), true)).orElse(null);
        this.compression = config.compression().enabled()
                ? new CompressionPolicy(config.compression().minSize(), config.compression().types())
                : null;
        update(this.backends);
    }

    /**
     * Connects the route to health: from now on the balancer works over the backends {@code availability} calls
     * usable (all of them in panic mode), and exchanges report their outcome to {@code outliers}.
     */
    public void health(BackendAvailability availability, OutlierDetector outliers) {
        this.availability = availability;
        this.outliers = outliers;
        refresh();
    }

    /** Rebuilds the balancer from the backends usable now; called when a backend's health changes. */
    public synchronized void refresh() {
        BackendAvailability current = availability;
        if (current == null) {
            return;
        }
        List<Backend> before = usable;
        List<Backend> candidates = drained.isEmpty()
                ? backends
                : backends.stream().filter(b -> !drained.contains(b.address())).toList();
        List<Backend> after = current.select(candidates, Backend::address).backends();
        long now = System.nanoTime();
        for (Backend backend : after) {
            if (!before.contains(backend)) {
                backend.joined(now); // slow start, if configured, ramps it back in
            }
        }
        update(after);
    }

    /** Whether a backend of this route may take traffic now (not down, not ejected, not drained). */
    public boolean usable(String backend) {
        if (drained.contains(backend)) {
            return false;
        }
        BackendAvailability current = availability;
        return current == null || current.isUsable(backend);
    }

    /** Whether health checks and outlier detection let the backend take traffic (drain aside). */
    public boolean available(String backend) {
        BackendAvailability current = availability;
        return current == null || current.isUsable(backend);
    }

    /** Whether an operator drained {@code backend}. */
    public boolean drained(String backend) {
        return drained.contains(backend);
    }

    /**
     * Takes a backend out of the balancer (drain) or puts it back (enable); requests already sent to it finish.
     * Returns whether the state changed.
     */
    public synchronized boolean drain(String backend, boolean drain) {
        boolean changed = drain ? drained.add(backend) : drained.remove(backend);
        if (changed) {
            rebuild();
        }
        return changed;
    }

    /**
     * Replaces the backend set (runtime add or remove): exchanges that already picked a removed backend keep it
     * and finish. {@code configNow} is the route's configuration naming exactly {@code backendsNow}; the health
     * wiring for the new set comes with it (a new outlier detector: its set of backends is fixed).
     */
    public synchronized void backends(RouteConfig configNow, List<Backend> backendsNow,
                                      BackendAvailability availabilityNow, OutlierDetector outliersNow) {
        this.config = configNow;
        this.backends = List.copyOf(backendsNow);
        drained.retainAll(this.backends.stream().map(Backend::address).toList());
        this.availability = availabilityNow;
        this.outliers = outliersNow;
        rebuild();
    }

    /** Rebuilds the balancer, e.g. after a weight change (weighted balancers read weights when built). */
    public synchronized void rebuild() {
        if (availability == null) {
            List<Backend> candidates = backends.stream().filter(b -> !drained.contains(b.address())).toList();
            update(candidates);
        } else {
            refresh();
        }
    }

    /** Where exchanges report success (any response below 500) and failure (connect errors, resets, 5xx). */
    public OutlierDetector outliers() {
        return outliers;
    }

    /** Whether the balancer reads latency estimates; only then does each response pay for recording one. */
    public boolean tracksLatency() {
        return "least_response_time".equals(config.algorithm());
    }

    /** This route's rate limit, or null when it has none. */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** This route's bandwidth throttles, or null when nothing limits its bandwidth. */
    Bandwidth bandwidth() {
        return bandwidth;
    }

    /** Caps this route's retries to a share of its requests. */
    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /** Recent response-head latencies, for hedging after the p95; null unless {@code retry.hedge.delay: p95}. */
    public LatencyWindow latencies() {
        return latencies;
    }

    /** Delays between retries of the same backend. */
    public Backoff backoff() {
        return backoff;
    }

    /** The file server of a {@code static:} route, or null for a proxying one. */
    public StaticFiles files() {
        return files;
    }

    /** What this route compresses, or null when compression is off for it. */
    public CompressionPolicy compression() {
        return compression;
    }

    public String name() {
        return config.name();
    }

    public RouteConfig config() {
        return config;
    }

    /** Every configured backend, usable or not. */
    public List<Backend> backends() {
        return backends;
    }

    /** The backends the balancer currently picks from. */
    public List<Backend> usable() {
        return usable;
    }

    public Balancer balancer() {
        return balancer;
    }

    /** Rebuilds the balancer over a new set of usable backends (a subset of {@link #backends()}). */
    public synchronized void update(List<Backend> usableNow) {
        List<Backend> snapshot = List.copyOf(usableNow);
        Balancer next = strategy.newBalancer(snapshot);
        this.usable = snapshot;
        this.balancer = next;
    }

    /** Whether this route takes a request for {@code host} (port stripped, lower case) and {@code path}. */
    boolean matches(String host, String path) {
        if (config.host().isPresent() && !config.host().get().toLowerCase(Locale.ROOT).equals(host)) {
            return false;
        }
        return path.startsWith(config.pathPrefix());
    }
}
