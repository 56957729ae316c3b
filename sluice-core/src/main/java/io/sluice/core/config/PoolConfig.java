package io.sluice.core.config;

import java.time.Duration;

/**
 * Upstream connection pool settings ({@code connection_pool:}, seed 000), the defaults for every backend.
 *
 * @param minIdle        connections opened at start and kept idle (default 0)
 * @param maxConnections per-backend ceiling unless a backend sets its own (default 5)
 * @param idleTimeout    an idle connection beyond {@code minIdle} is closed after this (default 60 s)
 * @param maxLifetime    a connection is retired after this, with up to 2.5 % jitter (default 300 s)
 * @param healthCheck    how often idle connections are checked and replaced (default 30 s)
 * @param waitTimeout    how long a request waits for a connection before a 503 (default 10 s)
 */
public record PoolConfig(
        int minIdle,
        int maxConnections,
        Duration idleTimeout,
        Duration maxLifetime,
        Duration healthCheck,
        Duration waitTimeout) {}
