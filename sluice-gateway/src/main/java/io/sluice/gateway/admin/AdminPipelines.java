package io.sluice.gateway.admin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ServerUpgradeCodec;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AsciiString;
import java.util.concurrent.TimeUnit;

/**
 * The pipelines of an admin connection. A cleartext connection starts as HTTP/1.1 and becomes HTTP/2 when the
 * client opens with the HTTP/2 preface (h2c prior knowledge) or asks for {@code Upgrade: h2c}; each HTTP/2 stream
 * then gets the same aggregator (1 MB limit, 413 problem) and the same {@link AdminHandler} as an HTTP/1.1
 * connection, so rate limit, auth and codecs are shared. A 413 on a stream answers and resets that stream only
 * (RST_STREAM cannot destroy the answer the way a TCP reset can, so no lingering close is needed there).
 */
final class AdminPipelines {

    /** Streams one admin connection may have open at once. */
    static final int MAX_CONCURRENT_STREAMS = 100;
    static final int MAX_HEADER_LIST_BYTES = 16 * 1024;

    private static final String[] HTTP1_HANDLERS = {"keepalive", "aggregator", "admin"};

    private final AdminHandler handler;
    private final int maxRequestBytes;
    private final int idleTimeoutSeconds;

    AdminPipelines(AdminHandler handler, int maxRequestBytes, int idleTimeoutSeconds) {
        this.handler = handler;
        this.maxRequestBytes = maxRequestBytes;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /** Sets up a fresh connection: idle timeout, then HTTP/1.1 with the h2c detector and upgrade in front. */
    void init(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("idle", new IdleStateHandler(0, 0, idleTimeoutSeconds, TimeUnit.SECONDS));
        HttpServerCodec codec = new HttpServerCodec();
        HttpServerUpgradeHandler upgrade = new HttpServerUpgradeHandler(codec,
                protocol -> AsciiString.contentEquals(Http2CodecUtil.HTTP_UPGRADE_PROTOCOL_NAME, protocol)
                        ? upgradeCodec() : null,
                maxRequestBytes);
        p.addLast("h2c", new CleartextHttp2ServerUpgradeHandler(codec, upgrade, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel connection) {
                // Prior knowledge: the connection preface came first; no HTTP/1.1 handler will ever be needed.
                ChannelPipeline cp = connection.pipeline();
                Http2FrameCodec frames = frameCodec();
                cp.addLast("h2", frames);
                cp.addLast("h2-streams", multiplexer());
                cp.addLast("h2-admin", new Http2ConnectionHandler());
            }
        }));
        p.addLast("keepalive", new HttpServerKeepAliveHandler());
        p.addLast("aggregator", new BoundedAggregator(maxRequestBytes));
        p.addLast("admin", handler);
    }

    private Http2ServerUpgradeCodec upgradeCodec() {
        return new Http2ServerUpgradeCodec(frameCodec(), multiplexer(), new Http2ConnectionHandler());
    }

    private static Http2FrameCodec frameCodec() {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(Http2Settings.defaultSettings()
                        .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                        .maxHeaderListSize(MAX_HEADER_LIST_BYTES))
                .validateHeaders(true)
                .build();
    }

    private Http2MultiplexHandler multiplexer() {
        ChannelInitializer<Http2StreamChannel> streams = new ChannelInitializer<>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                ChannelPipeline sp = stream.pipeline();
                sp.addLast("h2-http", new Http2StreamFrameToHttpObjectCodec(true, true));
                sp.addLast("aggregator", new BoundedAggregator(maxRequestBytes));
                sp.addLast("admin", handler);
            }
        };
        return new Http2MultiplexHandler(streams, streams);
    }

    /**
     * The last handler of an HTTP/2 admin connection: takes the HTTP/1.1 handlers out when it arrives (they would
     * see nothing but events), and closes the connection when it has been idle.
     */
    private static final class Http2ConnectionHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            ChannelPipeline p = ctx.pipeline();
            for (String name : HTTP1_HANDLERS) {
                ChannelHandler h = p.get(name);
                if (h != null) {
                    p.remove(name);
                }
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }

        /**
         * An HTTP/2 error is the frame codec's to answer: it sends GOAWAY with the error's code and closes right after
         * this returns (closing here first would send GOAWAY NO_ERROR instead), as the proxy listener's
         * {@code Http2ConnectionKeeper} leaves it; any other error (the socket failed) closes the connection.
         */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) == null) {
                ctx.close();
            }
        }
    }
}
