/**
 * The upstream connection pool: a bounded, non-blocking pool of connections to one backend,
 * modelled on HikariCP.
 *
 * <p>Start with {@link io.sluice.core.pool.UpstreamPool#builder(String, io.sluice.core.pool.ConnectionFactory)}:
 * give it a {@link io.sluice.core.pool.ConnectionFactory} that opens a ready channel on a given
 * event loop, a {@link io.sluice.core.config.PoolConfig}, optionally a
 * {@link io.sluice.core.pool.PoolMetricsTracker} (see {@code io.sluice.core.metrics.MicrometerPoolMetrics}).
 * Borrow with {@link io.sluice.core.pool.UpstreamPool#acquire(io.netty.channel.EventLoop)}, which
 * completes on the caller's loop with a {@link io.sluice.core.pool.PooledConnection}; end each
 * loan with {@code release()} (clean message boundary) or {@code discard()} (state unknown).
 * Failures: {@link io.sluice.core.pool.PoolTimeoutException} (no connection within
 * {@code wait_timeout}: 503), the connect error (502/504), {@link io.sluice.core.pool.PoolClosedException}.
 *
 * <p>The implementation lives in {@code io.sluice.core.pool.internal}.
 */
package io.sluice.core.pool;
