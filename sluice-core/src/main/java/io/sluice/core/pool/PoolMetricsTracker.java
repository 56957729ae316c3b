package io.sluice.core.pool;

import java.util.function.Supplier;

/**
 * Receives pool events for metrics. Every method defaults to doing nothing, as HikariCP's
 * {@code IMetricsTracker} does, so a pool without metrics pays nothing.
 *
 * <p>Callbacks run on whichever thread caused the event (an event loop, the housekeeper); they
 * must be cheap and must not throw.
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

    /** The pool closed; release whatever this tracker registered (meters, gauges). */
    default void close() {}

    enum EvictionReason {
        /** Idle longer than {@code idle_timeout}, beyond {@code min_idle}. */
        IDLE_TIMEOUT,
        /** Older than its (jittered) {@code max_lifetime}. */
        MAX_LIFETIME,
        /** Found closed or inactive: the backend or the network closed it. */
        BROKEN,
        /** The borrower discarded it ({@link PooledConnection#discard()}). */
        DISCARDED,
        /** {@link UpstreamPool#evictIdle()}. */
        EVICTED,
        /** The pool closed. */
        CLOSED
    }

    /**
     * Makes a tracker for one pool, given its name and a live view of its figures (for gauges),
     * as HikariCP's {@code MetricsTrackerFactory} does; the pool calls it once, when built.
     */
    @FunctionalInterface
    interface Factory {
        PoolMetricsTracker create(String poolName, Supplier<PoolStats> stats);
    }
}
