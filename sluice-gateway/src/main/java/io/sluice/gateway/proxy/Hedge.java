package io.sluice.gateway.proxy;

import io.netty.channel.Channel;
import io.sluice.core.balance.Backend;
import io.sluice.core.pool.PooledConnection;

/**
 * The second, racing attempt of a hedged exchange ({@code retry.hedge}): the backend it went to and, once acquired,
 * the connection it was sent on. The {@link Exchange} owns it and either promotes it (its response head came first)
 * or cancels it (the first attempt answered first, or the exchange ended): a cancelled hedge's connection is closed,
 * never pooled, since a response may be on its way. Event-loop confined.
 */
final class Hedge {

    final Backend backend;
    PooledConnection upstream;
    Channel channel;
    UpstreamHandler handler;
    long sentNanos;
    private boolean cancelled;

    Hedge(Backend backend) {
        this.backend = backend;
        backend.requestStarted();
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Whether this hedge's request went out and the connection is still its own. */
    boolean sent() {
        return channel != null && !cancelled;
    }

    /** Stops the hedge: its connection (if any) is closed and its backend no longer counts it in flight. */
    void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        if (upstream != null) {
            handler.unbind();
            upstream.discard();
            upstream = null;
        }
        backend.requestFinished();
    }

    /** The hedge became the exchange's attempt: the connection and the in-flight count are handed over. */
    void handedOver() {
        cancelled = true;
        upstream = null;
    }
}
