package io.sluice.gateway.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import io.sluice.core.config.ListenerConfig;
import io.sluice.core.config.CompressionConfig;
import io.sluice.gateway.compress.CompressionLevels;
import io.sluice.gateway.compress.ResponseCompressor;
import io.sluice.gateway.http.codec.FramingGuard;
import io.sluice.gateway.http.codec.SluiceServerCodec;
import io.sluice.gateway.proxy.ProxyContext;
import io.sluice.gateway.proxy.ProxyEvents;
import io.sluice.gateway.proxy.ProxyHandler;
import io.sluice.gateway.proxy.RequestHeadClock;
import io.sluice.gateway.upstream.HttpCodecLimits;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Builds the pipeline of every connection a listener accepts. */
public final class DownstreamInitializer extends ChannelInitializer<Channel> {

    private static final int MAX_UPGRADE_REQUEST_BYTES = 64 * 1024;

    private final ListenerConfig listener;
    private final SslContext tls;
    private final ProxyContext proxy;
    private final ProxyEvents events;
    private final ChannelGroup connections;
    private final HttpCodecLimits limits;
    private final Duration keepAlive;
    private final Duration drainTimeout;
    private final String scheme;
    private final CompressionConfig compression;

    public DownstreamInitializer(ListenerConfig listener, SslContext tls, ProxyContext proxy, ProxyEvents events,
                                 ChannelGroup connections, HttpCodecLimits limits, Duration keepAlive,
                                 Duration drainTimeout, CompressionConfig compression) {
        this.compression = compression;
        this.listener = listener;
        this.tls = tls;
        this.proxy = proxy;
        this.events = events;
        this.connections = connections;
        this.limits = limits;
        this.keepAlive = keepAlive;
        this.drainTimeout = drainTimeout;
        this.scheme = tls == null ? "http" : "https";
    }

    /** Builds a TLS context for a listener, or returns null for cleartext. */
    public static SslContext tlsFor(ListenerConfig listener) throws javax.net.ssl.SSLException {
        return listener.tls().isPresent() ? TlsContexts.server(listener.tls().get(), listener.http2()) : null;
    }

    @Override
    protected void initChannel(Channel ch) {
        connections.add(ch);
        events.downstreamConnectionOpened();
        ch.closeFuture().addListener(f -> events.downstreamConnectionClosed());
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
            p.addLast("alpn", new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                @Override
                protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
                        addHttp2(ctx.pipeline());
                    } else {
                        addHttp1(ctx.pipeline(), false);
                    }
                }
            });
        } else if (listener.http2()) {
            p.addLast("detect", new PriorKnowledgeDetector(this));
        } else {
            addHttp1(p, false);
        }
    }

    void addHttp1(ChannelPipeline p, boolean offerH2cUpgrade) {
        SluiceServerCodec codec = new SluiceServerCodec(
                limits.maxInitialLineLength(), limits.maxHeaderSize(), limits.maxChunkSize());
        p.addLast("head-clock", new RequestHeadClock());
        p.addLast("http", codec);
        p.addLast("framing", new FramingGuard());
        if (proxy.compressing()) {
            p.addLast("compress", new ResponseCompressor(levels()));
        }
        if (offerH2cUpgrade) {
            p.addLast("upgrade", new HttpServerUpgradeHandler(codec, protocol -> {
                if (!AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)) {
                    return null;
                }
                p.addBefore("upgrade", "h2-linger", new LingerAfterGoAway()); // the codec takes the upgrade's place
                return upgradeToHttp2();
            }, MAX_UPGRADE_REQUEST_BYTES));
        }
        p.addLast("proxy", new ProxyHandler(proxy, scheme, false));
    }

    private Http2ServerUpgradeCodec upgradeToHttp2() {
        Http2FrameCodec codec = http2Codec();
        // The HTTP/1.1 handlers after the upgrade handler remove themselves on the UpgradeEvent.
        return new Http2ServerUpgradeCodec(codec, idleHandler(), new Http2ConnectionKeeper(codec), streamMultiplexer());
    }

    void addHttp2(ChannelPipeline p) {
        Http2FrameCodec codec = http2Codec();
        p.addLast("h2-linger", new LingerAfterGoAway());
        p.addLast("h2", codec);
        p.addLast("h2-idle", idleHandler());
        p.addLast("h2-keeper", new Http2ConnectionKeeper(codec));
        p.addLast("h2-streams", streamMultiplexer());
    }

    /**
     * max_requests_per_connection for HTTP/2: once the stream that reaches it is done, the connection closes
     * gracefully (GOAWAY; streams still open finish) so the client opens a fresh one. Closing as that stream
     * opens could close the connection before the stream counts as active.
     */
    private void countStream(Http2StreamChannel stream) {
        Channel connection = stream.parent();
        io.netty.util.Attribute<Integer> streams = connection.attr(STREAMS_SERVED);
        int served = streams.get() == null ? 1 : streams.get() + 1;
        streams.set(served);
        if (served == proxy.connectionSettings().maxRequestsPerConnection()) {
            stream.closeFuture().addListener(f -> connection.close());
        }
    }

    private static final io.netty.util.AttributeKey<Integer> STREAMS_SERVED =
            io.netty.util.AttributeKey.valueOf("sluice.h2.streams");

    private CompressionLevels levels() {
        return new CompressionLevels(compression.gzipLevel(), compression.zstdLevel());
    }

    private IdleStateHandler idleHandler() {
        return new IdleStateHandler(0, 0, keepAlive.toMillis(), TimeUnit.MILLISECONDS);
    }

    private Http2FrameCodec http2Codec() {
        return StrictHttp2FrameCodec.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(proxy.maxConcurrentStreams())
                        .maxHeaderListSize(limits.maxHeaderSize()))
                // Field names and values (uppercase names, connection-specific fields, TE other than
                // "trailers", pseudo-headers in trailers or after regular fields, CR/LF/NUL in values):
                // a malformed request is reset with PROTOCOL_ERROR before any stream channel sees it.
                .validateHeaders(true)
                // Requests without :method, :scheme or :path (CONNECT aside) are malformed too (RFC 9113 8.3.1);
                // Netty only checks this when asked, and a backend must never see a request without a target.
                .validateRequiredPseudoHeaders(true)
                .gracefulShutdownTimeoutMillis(drainTimeout.toMillis())
                .build();
    }

    private Http2MultiplexHandler streamMultiplexer() {
        ChannelInitializer<Http2StreamChannel> streams = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel ch) {
                countStream(ch);
                ch.pipeline().addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true, true));
                if (proxy.compressing()) {
                    ch.pipeline().addLast("compress", new ResponseCompressor(levels()));
                }
                ch.pipeline().addLast("proxy", new ProxyHandler(proxy, scheme, true));
            }
        };
        return new Http2MultiplexHandler(streams, streams);
    }
}
