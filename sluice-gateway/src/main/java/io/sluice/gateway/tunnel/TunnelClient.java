package io.sluice.gateway.tunnel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import io.sluice.core.config.TunnelConfig;
import io.sluice.gateway.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel client ({@code tunnel.role: client}): local TCP listeners whose every accepted connection becomes
 * one extended-CONNECT stream over {@link TunnelConnections}, and UDP listeners whose every client address becomes
 * one CONNECT-UDP stream ({@link UdpTunnelListener}). Opening a stream waits for a tunnel connection with
 * backoff, at most {@code max_retry_attempts} times; beyond {@code max_concurrent_streams} open streams a new
 * local connection is closed at once.
 */
public final class TunnelClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelClient.class);

    private final TunnelConfig config;
    private final TunnelConnections connections;
    private final TunnelMetrics metrics;
    private final Map<String, Channel> listeners = new LinkedHashMap<>();

    private TunnelClient(TunnelConfig config, TunnelConnections connections, TunnelMetrics metrics) {
        this.config = config;
        this.connections = connections;
        this.metrics = metrics;
    }

    /** Starts connecting to the server (in the background) and binds every listener; returns once they accept. */
    public static TunnelClient start(TunnelConfig config, Transport transport, EventLoopGroup group,
                                     TunnelMetrics metrics) throws IOException {
        TunnelTls tls = TunnelTls.client(config);
        metrics.tlsProvider(tls.implementation().tag);
        TunnelConnections connections = new TunnelConnections(config, tls, group, transport, metrics);
        TunnelClient client = new TunnelClient(config, connections, metrics);
        connections.start();
        try {
            for (TunnelConfig.Listener l : config.listeners()) {
                client.listeners.put(l.name(), l.udp()
                        ? UdpTunnelListener.bind(config, l, connections, transport, group, metrics)
                        : client.bind(l, transport, group));
                log.info("tunnel listener {} ({}) on {}:{} -> {} via {}:{}", l.name(), l.udp() ? "udp" : "tcp",
                        l.host(), client.localAddress(l.name()).getPort(), l.target(), config.server().host(),
                        config.server().port());
            }
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
        return client;
    }

    private Channel bind(TunnelConfig.Listener listener, Transport transport, EventLoopGroup group)
            throws IOException {
        TunnelConfig.Limits limits = config.limits();
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(
                        Math.min(2048, limits.chunkBytes()), Math.min(16 * 1024, limits.chunkBytes()),
                        limits.chunkBytes()))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(),
                                TimeUnit.MILLISECONDS));
                        if (listener.socks5()) {
                            Opener opener = new Opener(listener);
                            ch.pipeline().addLast("socks5", new Socks5Handshake(opener::start));
                            ch.pipeline().addLast("pump", new TcpPump(metrics, true));
                        } else {
                            ch.pipeline().addLast("pump", new TcpPump(metrics, true));
                            ch.pipeline().addLast("open", new Opener(listener));
                        }
                    }
                })
                .bind(listener.host(), listener.port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind tunnel listener " + listener.name() + " to " + listener.host() + ":"
                    + listener.port() + ": " + bound.cause().getMessage(), bound.cause());
        }
        return bound.channel();
    }

    /** Whether at least one tunnel connection is up: {@code /readyz} is 503 otherwise. */
    public boolean connected() {
        return connections.anyUp();
    }

    public InetSocketAddress localAddress(String listener) {
        Channel ch = listeners.get(listener);
        if (ch == null) {
            throw new IllegalArgumentException("no tunnel listener named " + listener + " (have "
                    + listeners.keySet() + ")");
        }
        return (InetSocketAddress) ch.localAddress();
    }

    public java.util.Set<String> listenerNames() {
        return listeners.keySet();
    }

    @Override
    public void close() {
        listeners.values().forEach(ch -> ch.close().awaitUninterruptibly());
        connections.close();
    }

    /**
     * Opens the stream for one accepted connection, then steps aside for the {@link Splice}. On a forwarding
     * listener it starts when the connection is accepted; on a SOCKS5 one, when the handshake has named the target
     * (and it then answers the SOCKS client too).
     */
    private final class Opener extends ChannelInboundHandlerAdapter {
        private final TunnelConfig.Listener listener;
        private Channel local;
        private String target;
        private volatile Channel stream;

        Opener(TunnelConfig.Listener listener) {
            this.listener = listener;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            start(ctx, listener.target());
            ctx.fireChannelActive();
        }

        void start(ChannelHandlerContext ctx, String target) {
            this.local = ctx.channel();
            this.target = target;
            if (!metrics.tryOpen(config.limits().maxConcurrentStreams())) {
                log.debug("tunnel: {} refused a connection: max_concurrent_streams reached", listener.name());
                socksReply(Socks5Handshake.GENERAL_FAILURE);
                local.close();
                return;
            }
            local.closeFuture().addListener(f -> {
                metrics.closed();
                Channel s = stream;
                if (s != null) {
                    s.close();
                }
            });
            attempt(1);
        }

        /** On a SOCKS5 listener, tells the client how its CONNECT went; nothing on a forwarding listener. */
        private void socksReply(byte status) {
            if (listener.socks5()) {
                local.writeAndFlush(Socks5Handshake.reply(status));
            }
        }

        private void attempt(int n) {
            if (!local.isActive()) {
                return;
            }
            TunnelConnections.Slot slot = connections.pick(local.eventLoop());
            if (slot == null) {
                retry(n, "no tunnel connection is up");
                return;
            }
            Http2StreamChannelBootstrap bootstrap = new Http2StreamChannelBootstrap(slot.channel())
                    .option(ChannelOption.AUTO_READ, false)
                    .handler(new Answer());
            bootstrap.open().addListener((Future<Http2StreamChannel> f) -> {
                if (!f.isSuccess()) {
                    retry(n, f.cause().toString());
                    return;
                }
                Http2StreamChannel s = f.getNow();
                stream = s;
                slot.streams.incrementAndGet();
                s.closeFuture().addListener(c -> slot.streams.decrementAndGet());
                if (!local.isActive()) {
                    s.close();
                    return;
                }
                s.writeAndFlush(ExtendedConnect.request(target, config.token().orElse(null),
                        config.compression().zstd()));
                s.read();
            });
        }

        private void retry(int n, String why) {
            if (n > config.limits().maxRetryAttempts()) {
                metrics.refused(TunnelMetrics.Refusal.NO_TUNNEL);
                log.warn("tunnel: {} gave up on a connection after {} attempt(s): {}", listener.name(), n, why);
                socksReply(Socks5Handshake.GENERAL_FAILURE);
                local.close();
                return;
            }
            long delay = connections.backoff().delayNanos(n);
            local.eventLoop().schedule(() -> attempt(n + 1), delay, TimeUnit.NANOSECONDS);
        }

        /** Waits for the server's answer on a new stream: 200 joins the two, anything else closes both. */
        private final class Answer extends ConnectAnswer {

            Answer() {
                super(metrics);
            }

            @Override
            void accepted(ChannelHandlerContext ctx, Http2Headers headers) {
                socksReply(Socks5Handshake.SUCCEEDED); // queued on the socket before any relayed byte
                if (config.compression().zstd() && ExtendedConnect.zstd(headers)) {
                    metrics.zstdStream();
                    ctx.pipeline().addLast("zstd", new ZstdStreamCodec(config.compression().level(),
                            config.limits().chunkBytes(), metrics, true));
                }
                Splice.join(local, ctx.channel(), metrics, true);
            }

            @Override
            void refused(CharSequence status, Http2Headers headers) {
                log.warn("tunnel: {} -> {} refused by the server: {} {}", listener.name(), target,
                        status, headers.get(ExtendedConnect.PROXY_STATUS));
                socksReply(Socks5Handshake.replyFor(status));
                closeLocalAfterReply();
            }

            @Override
            void closedUnanswered() {
                log.warn("tunnel: {} -> {}: stream closed before the server answered", listener.name(), target);
                socksReply(Socks5Handshake.GENERAL_FAILURE);
                closeLocalAfterReply();
            }

            private void closeLocalAfterReply() {
                local.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            }
        }
    }
}
