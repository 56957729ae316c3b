package io.sluice.core.pool;

/**
 * Receives pool events for metrics. Every method defaults to doing nothing, as HikariCP's
 * {@code IMetricsTracker} does, so a pool without metrics pays nothing.
 */
public interface PoolMetricsTracker {

    PoolMetricsTracker NOOP = new PoolMetricsTracker() {};

    /** A borrower waited this long, from acquire to a connection in hand. */
    default void recordAcquire(long elapsedNanos) {}

    /** A borrower gave up after {@code wait_timeout}. */
    default void recordTimeout() {}

    /** A connection was opened. */
    default void recordCreated() {}

    /** A connection was closed by the pool, for this reason. */
    default void recordEviction(EvictionReason reason) {}

    enum EvictionReason {
        IDLE_TIMEOUT,
        MAX_LIFETIME,
        BROKEN,
        DISCARDED,
        EVICTED,
        CLOSED
    }
}
