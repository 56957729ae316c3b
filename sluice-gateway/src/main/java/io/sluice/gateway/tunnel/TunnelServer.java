package io.sluice.gateway.tunnel;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.core.config.TargetPattern;
import io.sluice.core.config.TunnelConfig;
import io.sluice.gateway.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tunnel server ({@code tunnel.role: server}): a TLS listener speaking HTTP/2 only, where every stream is an
 * extended CONNECT to a target. Each stream is checked (authentication, allow-list, the stream cap) by
 * {@link ServerStream}, which then dials the target and joins the two.
 */
public final class TunnelServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TunnelServer.class);

    /** Set on a connection whose client presented a certificate that {@code tls.client_ca} verified. */
    static final AttributeKey<Boolean> CERTIFIED = AttributeKey.valueOf("sluice.tunnel.certified");

    private final Channel listener;
    private final ChannelGroup connections;
    private final TargetDialer dialer;

    private TunnelServer(Channel listener, ChannelGroup connections, TargetDialer dialer) {
        this.listener = listener;
        this.connections = connections;
        this.dialer = dialer;
    }

    /** Binds the listener; returns once it accepts. */
    public static TunnelServer start(TunnelConfig config, Transport transport, EventLoopGroup group,
                                     TunnelMetrics metrics) throws IOException {
        TunnelTls tls = TunnelTls.server(config);
        metrics.tlsProvider(tls.implementation().tag);
        List<TargetPattern> allow = config.allow().stream().map(p -> TargetPattern.parse(p).orElseThrow()).toList();
        TargetDialer dialer = new TargetDialer(config, transport, metrics);
        ChannelGroup connections = new DefaultChannelGroup("sluice-tunnel", GlobalEventExecutor.INSTANCE);
        ServerStream.Policy policy = new ServerStream.Policy(config, allow, dialer, transport, metrics);
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TunnelTls.CONNECTION_WATER_MARK)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), null, 0));
                        ch.pipeline().addLast("alpn", new Http2Only(config, metrics, policy));
                        ch.pipeline().addLast("errors", CloseOnError.INSTANCE);
                    }
                })
                .bind(config.listen().host(), config.listen().port()).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind tunnel server to " + config.listen().host() + ":"
                    + config.listen().port() + ": " + bound.cause().getMessage(), bound.cause());
        }
        return new TunnelServer(bound.channel(), connections, dialer);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        dialer.close();
    }

    /** After the TLS handshake: HTTP/2 or nothing; notes whether the client proved itself with a certificate. */
    private static final class Http2Only extends ApplicationProtocolNegotiationHandler {
        private final TunnelConfig config;
        private final TunnelMetrics metrics;
        private final ServerStream.Policy policy;

        Http2Only(TunnelConfig config, TunnelMetrics metrics, ServerStream.Policy policy) {
            super("none");
            this.config = config;
            this.metrics = metrics;
            this.policy = policy;
        }

        @Override
        protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
            if (!ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                log.warn("tunnel: closing connection from {}: ALPN {} is not h2", ctx.channel().remoteAddress(),
                        protocol);
                ctx.close();
                return;
            }
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            try {
                boolean certified = config.tls().trust().isPresent()
                        && ssl.engine().getSession().getPeerCertificates().length > 0;
                ctx.channel().attr(CERTIFIED).set(certified);
            } catch (SSLPeerUnverifiedException none) {
                ctx.channel().attr(CERTIFIED).set(false);
            }
            ctx.pipeline().addBefore("errors", "h2", TunnelFrameCodec.create(true, config.limits(), metrics));
            ctx.pipeline().addBefore("errors", "streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                @Override
                protected void initChannel(Http2StreamChannel stream) {
                    stream.config().setAutoRead(false);
                    stream.pipeline().addLast("connect", new ServerStream(policy, ctx.channel()));
                }
            }));
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
}
