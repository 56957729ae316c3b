package io.sluice.gateway.tunnel;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.config.TunnelConfig;
import io.sluice.core.retry.Backoff;
import io.sluice.gateway.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's few long-lived TLS connections to the tunnel server ({@code tunnel.connections}, default 2). Each
 * slot connects, completes TLS (h2 by ALPN) and counts as up once the server's SETTINGS arrive with
 * SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441 3); a slot whose connection closes reconnects with exponential
 * backoff (full jitter, {@code retry_initial_backoff} to {@code retry_max_backoff}), forever: a tunnel client
 * exists to keep its tunnel up. An idle connection is pinged every {@code ping_interval}; no answer within twice
 * that closes it, so a dead path is noticed without traffic.
 */
final class TunnelConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelConnections.class);

    private final TunnelConfig config;
    private final TunnelTls tls;
    private final EventLoopGroup group;
    private final Transport transport;
    private final TunnelMetrics metrics;
    private final Backoff backoff;
    private final List<Slot> slots = new ArrayList<>();
    private volatile boolean closed;

    TunnelConnections(TunnelConfig config, TunnelTls tls, EventLoopGroup group, Transport transport,
                      TunnelMetrics metrics) {
        this.config = config;
        this.tls = tls;
        this.group = group;
        this.transport = transport;
        this.metrics = metrics;
        this.backoff = Backoff.exponential(config.limits().retryInitialBackoff(), config.limits().retryMaxBackoff(),
                ThreadLocalRandom::current);
        for (int i = 0; i < config.connections(); i++) {
            slots.add(new Slot(i));
        }
    }

    void start() {
        slots.forEach(Slot::connect);
    }

    /**
     * The up connection carrying the fewest streams, or null when none is up. One on {@code loop} (the local
     * socket's event loop) is preferred while it carries at most one stream more than the least loaded: both halves
     * of the splice then run on one thread, without a task hand-over per chunk.
     */
    Slot pick(io.netty.channel.EventLoop loop) {
        Slot best = null;
        Slot local = null;
        for (Slot s : slots) {
            if (!s.up) {
                continue;
            }
            if (best == null || s.streams.get() < best.streams.get()) {
                best = s;
            }
            Channel ch = s.channel;
            if (ch != null && ch.eventLoop() == loop && (local == null || s.streams.get() < local.streams.get())) {
                local = s;
            }
        }
        return local != null && local.streams.get() <= best.streams.get() + 1 ? local : best;
    }

    boolean anyUp() {
        for (Slot s : slots) {
            if (s.up) {
                return true;
            }
        }
        return false;
    }

    Backoff backoff() {
        return backoff;
    }

    @Override
    public void close() {
        closed = true;
        for (Slot s : slots) {
            Channel ch = s.channel;
            if (ch != null) {
                ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
    }

    /** One connection slot: at most one connection at a time, replaced when it closes. */
    final class Slot {
        private final int index;
        final AtomicInteger streams = new AtomicInteger();
        private volatile Channel channel;
        private volatile boolean up;
        private int failures;

        Slot(int index) {
            this.index = index;
        }

        Channel channel() {
            return channel;
        }

        void connect() {
            if (closed) {
                return;
            }
            long started = System.nanoTime();
            TunnelConfig.Endpoint server = config.server();
            ChannelFuture f = new Bootstrap()
                    .group(group)
                    .channel(transport.socketChannel())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, TunnelTls.CONNECTION_WATER_MARK)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) config.limits().handshakeTimeout().toMillis())
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), server.serverName(),
                                    server.port()));
                            ch.pipeline().addLast("alpn", new Http2Only(Slot.this, started));
                            ch.pipeline().addLast("errors", CloseOnError.INSTANCE);
                        }
                    })
                    .connect(server.host(), server.port());
            channel = f.channel();
            f.addListener((ChannelFuture c) -> {
                if (!c.isSuccess()) {
                    log.debug("tunnel: connection {} to {}:{} failed: {}", index, server.host(), server.port(),
                            c.cause().toString());
                    retryLater();
                    return;
                }
                Channel ch = c.channel();
                // TLS has its own timeout; this one also covers the HTTP/2 preface and SETTINGS.
                ch.eventLoop().schedule(() -> {
                    if (!up && ch.isActive()) {
                        log.warn("tunnel: connection {} not up within handshake_timeout {}", index,
                                config.limits().handshakeTimeout());
                        ch.close();
                    }
                }, config.limits().handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
                ch.closeFuture().addListener(x -> onClosed());
            });
        }

        private void onUp(long started) {
            up = true;
            failures = 0;
            metrics.connectionUp(System.nanoTime() - started);
            log.info("tunnel: connection {} to {}:{} up", index, config.server().host(), config.server().port());
        }

        private void onClosed() {
            if (up) {
                up = false;
                metrics.connectionDown();
                if (closed) {
                    return;
                }
                log.warn("tunnel: connection {} to {}:{} closed", index, config.server().host(),
                        config.server().port());
            }
            retryLater();
        }

        private void retryLater() {
            if (closed) {
                return;
            }
            failures++;
            metrics.reconnect();
            long delay = backoff.delayNanos(Math.min(failures, 62));
            group.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
        }

        /** After TLS: HTTP/2 with the server's extended-CONNECT support, or close (and reconnect later). */
        private final class Http2Only extends ApplicationProtocolNegotiationHandler {
            private final long started;

            Http2Only(Slot slot, long started) {
                super("none");
                this.started = started;
            }

            @Override
            protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                    log.error("tunnel: server {} did not agree to h2 (ALPN {})", ctx.channel().remoteAddress(),
                            protocol);
                    ctx.close();
                    return;
                }
                long ping = config.limits().pingInterval().toMillis();
                ctx.pipeline().addBefore("errors", "keepalive",
                        new IdleStateHandler(2 * ping, ping, 0, TimeUnit.MILLISECONDS));
                ctx.pipeline().addBefore("errors", "h2", TunnelFrameCodec.create(false, config.limits(), metrics));
                ctx.pipeline().addBefore("errors", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel ch) {
                        ch.close(); // a server never opens streams towards the client
                    }
                }));
                ctx.pipeline().addBefore("errors", "watch", new Watch(started));
                int more = config.limits().connectionWindow() - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
                if (more > 0) {
                    ctx.pipeline().writeAndFlush(new DefaultHttp2WindowUpdateFrame(more));
                }
            }

            @Override
            protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
                log.warn("tunnel: TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
                ctx.close();
            }
        }

        /** Marks the slot up on the server's SETTINGS; pings when idle; closes when the server goes silent. */
        private final class Watch extends ChannelInboundHandlerAdapter {
            private final long started;

            Watch(long started) {
                this.started = started;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof Http2SettingsFrame settings && !up) {
                    if (!Boolean.TRUE.equals(settings.settings().connectProtocolEnabled())) {
                        log.error("tunnel: server {} does not accept extended CONNECT (RFC 8441)",
                                ctx.channel().remoteAddress());
                        ctx.close();
                    } else {
                        onUp(started);
                    }
                }
                ReferenceCountUtil.release(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof IdleStateEvent idle) {
                    if (idle.state() == IdleState.READER_IDLE) {
                        log.warn("tunnel: server {} silent for 2 x ping_interval; reconnecting",
                                ctx.channel().remoteAddress());
                        ctx.close();
                    } else if (idle.state() == IdleState.WRITER_IDLE) {
                        ctx.writeAndFlush(new DefaultHttp2PingFrame(System.nanoTime()));
                    }
                    return;
                }
                ctx.fireUserEventTriggered(evt);
            }
        }
    }
}
