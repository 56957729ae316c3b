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

    /** Borrows a connection; complete it with {@link PooledConnection#release()} or {@link PooledConnection#discard()}. */
    Future<PooledConnection> acquire(EventLoop preferred);

    /** Live figures, for metrics and error messages. */
    PoolStats stats();

    /** Closes every idle connection now (the backend was ejected or failed a health check). */
    void evictIdle();

    /** Closes idle connections, fails waiters, and closes borrowed connections when they come back. */
    @Override
    void close();
}
