package io.sluice.core.pool;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.core.config.PoolConfig;
import io.sluice.core.pool.internal.NettyUpstreamPool;
import io.sluice.core.pool.internal.PoolSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Builds an {@link UpstreamPool}; start with {@link UpstreamPool#builder(String, ConnectionFactory)}.
 *
 * <pre>{@code
 * UpstreamPool pool = UpstreamPool.builder("10.0.0.7:8080", factory)
 *         .config(sluiceConfig.connectionPool())
 *         .maxConnections(backend.maxConnections())
 *         .eventLoops(workerGroup)
 *         .metrics(MicrometerPoolMetrics.factory(registry))
 *         .build();
 * }</pre>
 *
 * <p>A zero {@code idle_timeout}, {@code max_lifetime} or {@code health_check} switches that
 * mechanism off, as in HikariCP.
 */
public final class UpstreamPoolBuilder {

    /** The documented {@code connection_pool:} defaults, used when no {@link #config} is given. */
    public static final PoolConfig DEFAULT_CONFIG = new PoolConfig(
            0, 5, Duration.ofSeconds(60), Duration.ofSeconds(300), Duration.ofSeconds(30), Duration.ofSeconds(10));

    private final String name;
    private final ConnectionFactory factory;
    private PoolConfig config = DEFAULT_CONFIG;
    private int maxConnections; // 0: take the config's
    private PoolMetricsTracker.Factory metrics = (poolName, stats) -> PoolMetricsTracker.NOOP;
    private LongSupplier ticker = System::nanoTime;
    private ScheduledExecutorService scheduler;
    private EventLoopGroup eventLoops;

    UpstreamPoolBuilder(String name, ConnectionFactory factory) {
        this.name = Objects.requireNonNull(name, "name");
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Pool settings ({@code connection_pool:}); defaults to {@link #DEFAULT_CONFIG}. */
    public UpstreamPoolBuilder config(PoolConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        return this;
    }

    /** This backend's ceiling; overrides {@link PoolConfig#maxConnections()}. Zero or less: use the config's. */
    public UpstreamPoolBuilder maxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /** A tracker for pool events. */
    public UpstreamPoolBuilder metrics(PoolMetricsTracker tracker) {
        Objects.requireNonNull(tracker, "tracker");
        this.metrics = (poolName, stats) -> tracker;
        return this;
    }

    /** A tracker made for this pool, given its name and live figures (for gauges). */
    public UpstreamPoolBuilder metrics(PoolMetricsTracker.Factory factory) {
        this.metrics = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /** The clock, in nanoseconds ({@link System#nanoTime()} by default); tests pass one they advance. */
    public UpstreamPoolBuilder ticker(LongSupplier nanoTime) {
        this.ticker = Objects.requireNonNull(nanoTime, "nanoTime");
        return this;
    }

    /**
     * Runs the housekeeper and the wait timeouts. Any Netty {@code EventExecutor} or
     * {@link ScheduledExecutorService}; the pool never shuts it down. Defaults to one loop of
     * {@link #eventLoops}, else Netty's {@link GlobalEventExecutor}.
     */
    public UpstreamPoolBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        return this;
    }

    /**
     * Event loops on which connections the pool opens by itself (pre-warm and top-up to
     * {@code min_idle}) are registered, round robin. Required when {@code min_idle > 0};
     * connections for a borrower are always opened on the borrower's loop.
     */
    public UpstreamPoolBuilder eventLoops(EventLoopGroup eventLoops) {
        this.eventLoops = Objects.requireNonNull(eventLoops, "eventLoops");
        return this;
    }

    /** Builds the pool, starts its housekeeper and begins pre-warming {@code min_idle} connections. */
    public UpstreamPool build() {
        int max = maxConnections > 0 ? maxConnections : config.maxConnections();
        if (max < 1) {
            throw new IllegalArgumentException(name + " - max_connections must be at least 1, was " + max);
        }
        if (config.minIdle() < 0) {
            throw new IllegalArgumentException(name + " - min_idle must not be negative, was " + config.minIdle());
        }
        int minIdle = Math.min(config.minIdle(), max);
        if (minIdle > 0 && eventLoops == null) {
            throw new IllegalStateException(name + " - min_idle=" + minIdle
                    + " needs eventLoops(...) to open connections on before anyone asks for one");
        }
        Duration waitTimeout = nonNegative("wait_timeout", config.waitTimeout());
        ScheduledExecutorService sched = scheduler != null ? scheduler
                : eventLoops != null ? eventLoops.next() : GlobalEventExecutor.INSTANCE;
        PoolSettings settings = new PoolSettings(
                name,
                factory,
                minIdle,
                max,
                nonNegative("idle_timeout", config.idleTimeout()).toNanos(),
                nonNegative("max_lifetime", config.maxLifetime()).toNanos(),
                nonNegative("health_check", config.healthCheck()).toNanos(),
                waitTimeout,
                metrics,
                ticker,
                sched,
                eventLoops);
        NettyUpstreamPool pool = new NettyUpstreamPool(settings);
        pool.start();
        return pool;
    }

    private Duration nonNegative(String what, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(name + " - " + what + " must be zero or more, was " + value);
        }
        return value;
    }
}
