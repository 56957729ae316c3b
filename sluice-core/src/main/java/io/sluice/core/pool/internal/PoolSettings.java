package io.sluice.core.pool.internal;

import io.netty.channel.EventLoopGroup;
import io.sluice.core.pool.ConnectionFactory;
import io.sluice.core.pool.PoolMetricsTracker;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * A pool's validated settings, durations in nanoseconds (zero switches a mechanism off).
 *
 * @param eventLoops where pre-warm and top-up connections are opened; null when {@code minIdle == 0}
 */
public record PoolSettings(
        String name,
        ConnectionFactory factory,
        int minIdle,
        int maxConnections,
        long idleTimeoutNanos,
        long maxLifetimeNanos,
        long healthCheckNanos,
        Duration waitTimeout,
        PoolMetricsTracker.Factory metrics,
        LongSupplier ticker,
        ScheduledExecutorService scheduler,
        EventLoopGroup eventLoops) {}
