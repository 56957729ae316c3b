package io.sluice.core.metrics;

/**
 * Every Sluice metric name, in Micrometer's dotted form. The Prometheus registry renders a name
 * by replacing dots with underscores, adding the base unit ({@code _seconds}) to timers and
 * {@code _total} to counters; each constant's comment gives that rendering.
 *
 * <p>Avoid names ending in {@code .total}, {@code .created}, {@code .info} or {@code .bucket}:
 * the Prometheus client strips those suffixes, so {@code sluice.pool.connections.created} would
 * come out as the counter {@code sluice_pool_connections_total} and clash with the gauge below.
 */
public final class MetricNames {

    private MetricNames() {}

    /** Tag on every pool meter: the backend's {@code host:port} (the pool's name). */
    public static final String TAG_BACKEND = "backend";

    /** Tag on {@link #POOL_EVICTIONS}: why the pool closed a connection, lower case ({@code idle_timeout}). */
    public static final String TAG_REASON = "reason";

    /** Gauge, open connections (idle, borrowed, or being opened). Prometheus: {@code sluice_pool_connections}. */
    public static final String POOL_CONNECTIONS = "sluice.pool.connections";

    /** Gauge, borrowed connections. Prometheus: {@code sluice_pool_connections_active}. */
    public static final String POOL_CONNECTIONS_ACTIVE = "sluice.pool.connections.active";

    /** Gauge, idle connections. Prometheus: {@code sluice_pool_connections_idle}. */
    public static final String POOL_CONNECTIONS_IDLE = "sluice.pool.connections.idle";

    /** Gauge, requests waiting for a connection. Prometheus: {@code sluice_pool_connections_pending}. */
    public static final String POOL_CONNECTIONS_PENDING = "sluice.pool.connections.pending";

    /**
     * Timer, from acquire to a connection in hand. Prometheus: {@code sluice_pool_acquire_seconds}
     * ({@code _count}, {@code _sum}, {@code _max}).
     */
    public static final String POOL_ACQUIRE = "sluice.pool.acquire";

    /** Counter, acquires that gave up after {@code wait_timeout}. Prometheus: {@code sluice_pool_timeouts_total}. */
    public static final String POOL_TIMEOUTS = "sluice.pool.timeouts";

    /**
     * Counter, connections opened. Prometheus: {@code sluice_pool_connections_opened_total}
     * (not {@code ..._created_total}: the client strips a {@code _created} suffix, see above).
     */
    public static final String POOL_CONNECTIONS_OPENED = "sluice.pool.connections.opened";

    /** Counter, connections the pool closed, tagged {@link #TAG_REASON}. Prometheus: {@code sluice_pool_evictions_total}. */
    public static final String POOL_EVICTIONS = "sluice.pool.evictions";

    /** Tag on outlier meters: the route whose detector ejected the backend. */
    public static final String TAG_ROUTE = "route";

    /** Tag on {@link #BACKEND_HEALTH_TRANSITIONS}: the new state, {@code healthy} or {@code unhealthy}. */
    public static final String TAG_TO = "to";

    /**
     * Gauge, 1 while active health checks find the backend healthy, else 0; tagged {@link #TAG_BACKEND}.
     * Prometheus: {@code sluice_backend_up}.
     */
    public static final String BACKEND_UP = "sluice.backend.up";

    /**
     * Counter, active-check state changes, tagged {@link #TAG_BACKEND} and {@link #TAG_TO}.
     * Prometheus: {@code sluice_backend_health_transitions_total}.
     */
    public static final String BACKEND_HEALTH_TRANSITIONS = "sluice.backend.health.transitions";

    /**
     * Counter, passive ejections by outlier detection, tagged {@link #TAG_ROUTE} and {@link #TAG_BACKEND}.
     * Prometheus: {@code sluice_backend_ejections_total}.
     */
    public static final String BACKEND_EJECTIONS = "sluice.backend.ejections";
}
