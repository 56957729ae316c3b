package io.sluice.core.pool;

import io.netty.channel.Channel;

/** A connection borrowed from an {@link UpstreamPool}; exactly one of release or discard ends the loan. */
public interface PooledConnection {

    Channel channel();

    /** Returns the connection for reuse. Only call it at a clean message boundary. */
    void release();

    /** Closes the connection and frees its slot: its state is unknown (framing error, timeout, reset). */
    void discard();
}
