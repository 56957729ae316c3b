package io.sluice.gateway.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.sluice.core.config.TunnelConfig;
import io.sluice.gateway.transport.Transport;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * Opens target connections for the tunnel server, each with its {@link TcpPump} in place and auto-read off.
 *
 * <p>With {@code connection_pool.enabled} it keeps seed 003's pool: per target, idle connections dialled ahead of
 * need. A stream takes one (never shared, never returned); each take dials one replacement while the target has
 * fewer than {@code size} idle, so the pool follows demand up to its size. An idle connection unused for
 * {@code idle_timeout}, or closed by the target, leaves the pool.
 */
final class TargetDialer implements AutoCloseable {

    private final TunnelConfig config;
    private final Transport transport;
    private final TunnelMetrics metrics;
    private final Map<String, Deque<Channel>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    TargetDialer(TunnelConfig config, Transport transport, TunnelMetrics metrics) {
        this.config = config;
        this.transport = transport;
        this.metrics = metrics;
    }

    /** A connected target channel on (or, pooled, possibly off) {@code loop}; fails when the target is unreachable. */
    Future<Channel> dial(EventLoop loop, String host, int port) {
        Promise<Channel> promise = loop.newPromise();
        if (config.targetPool().enabled()) {
            String key = host + ":" + port;
            Deque<Channel> pool = idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>());
            Channel ch;
            while ((ch = pool.pollFirst()) != null) {
                if (ch.isActive()) {
                    ch.pipeline().remove(PoolIdle.class);
                    refill(loop, host, port, pool);
                    return promise.setSuccess(ch);
                }
            }
            refill(loop, host, port, pool);
        }
        connect(loop, host, port).addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                promise.trySuccess(f.channel());
            } else {
                promise.tryFailure(f.cause());
            }
        });
        return promise;
    }

    private void refill(EventLoop loop, String host, int port, Deque<Channel> pool) {
        if (closed || pool.size() >= config.targetPool().size()) {
            return;
        }
        connect(loop, host, port).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                return;
            }
            Channel ch = f.channel();
            if (closed || pool.size() >= config.targetPool().size()) {
                ch.close();
                return;
            }
            long idleMillis = config.targetPool().idleTimeout().toMillis();
            ch.pipeline().addFirst(new PoolIdle(idleMillis));
            ch.closeFuture().addListener(c -> pool.remove(ch));
            pool.addLast(ch);
        });
    }

    private ChannelFuture connect(EventLoop loop, String host, int port) {
        TunnelConfig.Limits limits = config.limits();
        return new Bootstrap()
                .group(loop)
                .channel(transport.socketChannel())
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        Math.min(2048, limits.chunkBytes()), Math.min(16 * 1024, limits.chunkBytes()),
                        limits.chunkBytes()))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0,
                                limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
                        ch.pipeline().addLast("pump", new TcpPump(metrics, false));
                    }
                })
                .connect(host, port);
    }

    /** Idle pooled connections, closed together with the server. */
    int idleCount() {
        return idle.values().stream().mapToInt(Deque::size).sum();
    }

    @Override
    public void close() {
        closed = true;
        idle.values().forEach(d -> d.forEach(Channel::close));
        idle.clear();
    }

    /** Closes a pooled connection nobody took within the pool's idle timeout. */
    private static final class PoolIdle extends IdleStateHandler {
        PoolIdle(long idleMillis) {
            super(0, 0, idleMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
            ctx.close();
        }
    }
}
