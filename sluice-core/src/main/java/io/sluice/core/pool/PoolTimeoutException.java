package io.sluice.core.pool;

import java.time.Duration;

/** No connection became free within {@code wait_timeout}. The message names the pool and its state. */
public final class PoolTimeoutException extends Exception {

    private final Duration waited;

    public PoolTimeoutException(String poolName, Duration waited, PoolStats stats) {
        super(poolName + " - connection not available, request timed out after " + waited.toMillis() + "ms (" + stats + ")", null, false, false);
        this.waited = waited;
    }

    public Duration waited() {
        return waited;
    }
}
