package io.sluice.core.pool.internal;

import io.netty.channel.Channel;
import io.sluice.core.pool.PooledConnection;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loan of a {@link PoolEntry}, as HikariCP's {@code ProxyConnection}: a fresh object per
 * borrow, so a stale holder calling release or discard a second time cannot end somebody else's
 * loan of the same connection. The first release or discard wins; later calls are logged and ignored.
 */
final class Lease implements PooledConnection {

    private static final Logger log = LoggerFactory.getLogger(Lease.class);

    private final NettyUpstreamPool pool;
    private final PoolEntry entry;
    private final AtomicBoolean ended = new AtomicBoolean();

    Lease(NettyUpstreamPool pool, PoolEntry entry) {
        this.pool = pool;
        this.entry = entry;
    }

    @Override
    public Channel channel() {
        return entry.channel();
    }

    @Override
    public void release() {
        if (ended.compareAndSet(false, true)) {
            pool.requite(entry);
        } else {
            ignored("release");
        }
    }

    @Override
    public void discard() {
        if (ended.compareAndSet(false, true)) {
            pool.discard(entry);
        } else {
            ignored("discard");
        }
    }

    private void ignored(String call) {
        if (log.isDebugEnabled()) {
            log.debug("{} - {} of {} ignored: this loan already ended", pool.name(), call, entry.channel(),
                    new IllegalStateException("second release/discard"));
        }
    }

    @Override
    public String toString() {
        return "PooledConnection[" + pool.name() + ", " + entry.channel() + (ended.get() ? ", ended]" : "]");
    }
}
