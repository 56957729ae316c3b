package io.sluice.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * HTTP/2 (h2c by prior knowledge, or h2 negotiated by ALPN over TLS), {@code --streams} lanes per connection,
 * one child stream channel per request. Flow-control windows are returned by the multiplexer as data is read.
 */
final class Http2Connection extends Connection {

    private final LoadOptions options;
    private final RequestTemplate template;
    private final SslContext ssl;

    Http2Connection(Bootstrap b, EventLoop loop, Probe probe, RunControl run, LoadOptions options,
                    RequestTemplate template, SslContext ssl) {
        super(b, loop, probe, run);
        this.options = options;
        this.template = template;
        this.ssl = ssl;
    }

    @Override
    protected void initChannel(Channel ch) {
        ch.pipeline().addLast(new WireBytes(probe, run));
        if (ssl != null) {
            ch.pipeline().addLast(ssl.newHandler(ch.alloc(), options.url().getHost(), options.port()));
        }
        ch.pipeline().addLast(
                Http2FrameCodecBuilder.forClient()
                        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(1 << 20))
                        .validateHeaders(false)
                        .build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                new GoAwayWatcher());
    }

    /**
     * A server that retires a connection (GOAWAY, e.g. after max requests per connection) has not processed the
     * streams it refuses: the next requests go to a new connection instead of failing on this one.
     */
    private final class GoAwayWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Http2GoAwayFrame) {
                ctx.channel().attr(GOING_AWAY).set(Boolean.TRUE);
                retire(ctx.channel());
                ReferenceCountUtil.release(msg);
                return;
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static final AttributeKey<Boolean> GOING_AWAY = AttributeKey.valueOf("sluice.bench.h2.goaway");

    @Override
    protected boolean protocolAccepted(String alpn) {
        return ApplicationProtocolNames.HTTP_2.equals(alpn);
    }

    @Override
    protected void write(Lane lane) {
        Channel parent = channel;
        new Http2StreamChannelBootstrap(parent).handler(new StreamHandler(lane)).open().addListener(f -> {
            if (!f.isSuccess()) {
                if (Boolean.TRUE.equals(parent.attr(GOING_AWAY).get()) || !parent.isActive()) {
                    retire(parent);
                    send(lane); // never reached the server: send it on a fresh connection
                } else {
                    lane.failed(ErrorKind.RESET);
                }
                return;
            }
            Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
            lane.stream = stream;
            lane.sent();
            boolean body = template.hasBody();
            stream.write(new DefaultHttp2HeadersFrame(template.h2Headers(), !body), stream.voidPromise());
            if (body) {
                stream.write(new DefaultHttp2DataFrame(template.body(), true), stream.voidPromise());
            }
            stream.flush();
        });
    }

    @Override
    protected void timeout(Lane lane) {
        Object stream = lane.stream;
        lane.failed(ErrorKind.TIMEOUT); // first, so that the close below finds the lane no longer in flight
        if (stream instanceof Http2StreamChannel s) {
            s.close();
        }
    }

    private final class StreamHandler extends ChannelInboundHandlerAdapter {
        private Lane lane;
        private int status;

        StreamHandler(Lane lane) {
            this.lane = lane;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                boolean end = false;
                if (msg instanceof Http2HeadersFrame h) {
                    CharSequence s = h.headers().status();
                    if (s != null && status < 200) {
                        status = parseStatus(s);
                    }
                    end = h.isEndStream();
                } else if (msg instanceof Http2DataFrame d) {
                    end = d.isEndStream();
                } else if (msg instanceof Http2ResetFrame) {
                    finish(ctx, -1);
                    ctx.close();
                    return;
                }
                if (end) {
                    finish(ctx, status);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private static int parseStatus(CharSequence s) {
            try {
                return Integer.parseInt(s.toString());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** Ends the lane's request once; a stream the lane has left (timed out) no longer speaks for it. */
        private void finish(ChannelHandlerContext ctx, int code) {
            Lane l = lane;
            lane = null;
            if (l == null || l.stream != ctx.channel()) {
                return;
            }
            if (code < 0) {
                l.failed(ErrorKind.RESET);
            } else if (code < 100) {
                l.failed(ErrorKind.PROTOCOL);
            } else {
                l.completed(code);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2GoAwayFrame goAway) {
                // Netty tells only the streams above the GOAWAY's last-stream-id: the server has not processed
                // them and never will (RFC 9113 §6.8), so the request goes to a new connection, not into errors.
                goAway.release();
                Lane l = lane;
                if (l != null && l.stream == ctx.channel()) {
                    lane = null;
                    retire(ctx.channel().parent());
                    send(l);
                }
                return;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish(ctx, -1);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
