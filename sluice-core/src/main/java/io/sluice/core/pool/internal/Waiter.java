package io.sluice.core.pool.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import io.sluice.core.pool.PooledConnection;
import java.util.concurrent.Future;

/**
 * A borrower: the promise handed to the caller, its event loop, and when it asked. Queued when
 * the pool is full, with a deadline after which it fails. Whoever removes it from the
 * {@link WaiterQueue} owns it and must complete its promise.
 */
final class Waiter {

    final Promise<PooledConnection> promise;
    final EventLoop preferred;
    final long startNanos;
    final long deadlineNanos;
    private volatile Future<?> timeout;

    Waiter(Promise<PooledConnection> promise, EventLoop preferred, long startNanos, long waitTimeoutNanos) {
        this.promise = promise;
        this.preferred = preferred;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + waitTimeoutNanos;
    }

    boolean isOverdue(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    void timeout(Future<?> timeout) {
        this.timeout = timeout;
    }

    void cancelTimeout() {
        Future<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
