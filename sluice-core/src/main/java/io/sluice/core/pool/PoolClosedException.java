package io.sluice.core.pool;

/** The pool was closed: acquires after {@link UpstreamPool#close()} and waiters at the time fail with this. */
public final class PoolClosedException extends IllegalStateException {

    public PoolClosedException(String poolName) {
        super(poolName + " - pool is closed");
    }
}
