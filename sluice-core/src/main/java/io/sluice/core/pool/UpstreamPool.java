package io.sluice.core.pool;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * A bounded pool of connections to one backend.
 *
 * <p>Acquisition never blocks: the returned future completes on the caller's event loop when a
 * connection is free or newly opened, or fails with {@link PoolTimeoutException} after
 * {@code wait_timeout}, or with the connect error. The pool prefers an idle connection already
 * registered on {@code preferred} so that client and backend share one event loop.
 */
public interface UpstreamPool extends AutoCloseable {

    /**
     * Starts building a pool named {@code name} (the backend's {@code host:port}, used in messages
     * and metric tags) that opens connections with {@code factory}.
     */
    static UpstreamPoolBuilder builder(String name, ConnectionFactory factory) {
        return new UpstreamPoolBuilder(name, factory);
    }

    /** Borrows a connection; complete it with {@link PooledConnection#release()} or {@link PooledConnection#discard()}. */
    Future<PooledConnection> acquire(EventLoop preferred);

    /** Live figures, for metrics and error messages. */
    PoolStats stats();

    /** Closes every idle connection now (the backend was ejected or failed a health check). */
    void evictIdle();

    /**
     * Runs one housekeeping pass now: fails waiters past {@code wait_timeout} (by the pool's
     * ticker), closes idle connections past {@code idle_timeout} beyond {@code min_idle}, retires
     * connections past their max lifetime, drops broken idle ones, and tops up to {@code min_idle}.
     * The pool runs it every {@code health_check} on its scheduler; call it to force a pass (tests,
     * after a failed health check).
     */
    void runHousekeeping();

    /** Closes idle connections, fails waiters, and closes borrowed connections when they come back. */
    @Override
    void close();
}
