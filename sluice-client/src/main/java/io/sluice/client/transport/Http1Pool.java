package io.sluice.client.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 keep-alive connections to one host: at most {@code maxPerHost} open (Netty's {@link FixedChannelPool}
 * queues the rest, up to {@code maxPending}), the most recently used idle one first, an idle one closed after
 * {@code idleTimeout}, and no more than {@code maxIdle} idle ones kept.
 */
final class Http1Pool {

    private final FixedChannelPool pool;
    private final Set<Channel> idle = ConcurrentHashMap.newKeySet();
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();
    private final int maxIdle;

    Http1Pool(Bootstrap bootstrap, TransportOptions options, SslContext ssl) {
        this.maxIdle = options.maxIdle();
        long idleMillis = options.idleTimeout().toMillis();
        int maxBody = options.maxResponseBytes();
        pool = new FixedChannelPool(bootstrap, new AbstractChannelPoolHandler() {
            @Override
            public void channelCreated(Channel ch) {
                open.add(ch);
                ch.closeFuture().addListener(f -> {
                    open.remove(ch);
                    idle.remove(ch);
                });
                if (ssl != null) {
                    ch.pipeline().addLast(ssl.newHandler(ch.alloc(), options.baseUri().getHost(), options.port()));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new GzipPassingDecompressor(),
                        new HttpObjectAggregator(maxBody),
                        new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS), new ExchangeHandler());
            }

            @Override
            public void channelAcquired(Channel ch) {
                idle.remove(ch);
            }

            @Override
            public void channelReleased(Channel ch) {
                if (!ch.isActive()) {
                    return;
                }
                if (idle.size() >= maxIdle) {
                    ch.close();
                } else {
                    idle.add(ch);
                }
            }
        }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL,
                options.connectTimeout().toMillis() + options.requestTimeout().toMillis(), options.maxPerHost(),
                Math.max(options.maxPending(), 1), true, true);
    }

    Future<Channel> acquire() {
        return pool.acquire();
    }

    Future<Void> release(Channel ch) {
        return pool.release(ch);
    }

    int openConnections() {
        return open.size();
    }

    int idleConnections() {
        return idle.size();
    }

    /** Closes the pooled connections; done once the pool's own close task has run on its event loop. */
    Future<Void> close() {
        return pool.closeAsync();
    }
}
